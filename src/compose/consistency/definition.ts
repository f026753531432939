import { TscError } from '../../errors/index.js';
import type { ServiceConfig } from '../model.js';
import { formatPath, isDict, type ComposePath } from '../types.js';
import { dig, isEmpty, listOf } from './access.js';

const HEALTHCHECK_KINDS = ['CMD', 'CMD-SHELL', 'NONE'];
const WATCH_WITHOUT_TARGET = ['rebuild', 'restart'];

/** Mount and device entries that cannot work as written, checked before anything refers elsewhere. */
export function checkMountsAndDevices(name: string, service: ServiceConfig): void {
  (service.volumes ?? []).forEach((volume, index) => {
    if (volume.type === 'bind' && (volume.source === undefined || volume.source === '')) {
      throw new TscError('COMPOSE_INVALID',
        `service "${name}" volumes[${index}]: invalid mount config for type "bind": field Source must not be empty`, {
          path: formatPath(['services', name, 'volumes', index]),
          hint: 'set source to the host path to mount, e.g. {type: bind, source: ./data, target: /data}',
        });
    }
  });
  const requests: Array<[ComposePath, unknown]> = [
    ...listOf(dig(service.deploy, 'resources', 'reservations', 'devices'))
      .map((d, i): [ComposePath, unknown] => [['services', name, 'deploy', 'resources', 'reservations', 'devices', i], d]),
    ...listOf(service.gpus).map((d, i): [ComposePath, unknown] => [['services', name, 'gpus', i], d]),
  ];
  for (const [path, request] of requests) {
    if (isDict(request) && request.count !== undefined && request.device_ids !== undefined) {
      throw new TscError('COMPOSE_CONFLICT', `${formatPath(path)}: "count" and "device_ids" attributes are exclusive`, {
        path: formatPath(path),
        hint: 'use count to take any N devices, or device_ids to name them, not both',
      });
    }
  }
}

/** The service can be created at all: it has an image, a build or a provider, and a coherent build. */
export function checkImageAndBuild(name: string, service: ServiceConfig): void {
  const at = ['services', name];
  if (service.build === undefined && !service.image && service.provider === undefined) {
    throw new TscError('COMPOSE_INVALID', `service "${name}" has neither an image nor a build context specified`, {
      path: formatPath(at),
      hint: 'add image: NAME[:TAG] to run an existing image, or build: DIRECTORY to build one',
    });
  }
  const build = service.build;
  if (build === undefined) return;
  if (build.dockerfile !== undefined && build.dockerfile_inline !== undefined) {
    throw new TscError('COMPOSE_CONFLICT', `service "${name}" declares mutually exclusive dockerfile and dockerfile_inline`, {
      path: formatPath([...at, 'build']),
      hint: 'keep either build.dockerfile (a file) or build.dockerfile_inline (its text)',
    });
  }
  const platforms = listOf(build.platforms);
  if (typeof service.platform === 'string' && service.platform !== '' && platforms.length > 0 && !platforms.includes(service.platform)) {
    throw new TscError('COMPOSE_CONFLICT',
      `service "${name}": service.build.platforms MUST include service.platform "${service.platform}"`, {
        path: formatPath([...at, 'build', 'platforms']),
        hint: `add "${service.platform}" to build.platforms (${platforms.map(String).join(', ')}), or change platform`,
      });
  }
}

/** `healthcheck.test` starts with its kind. */
export function checkHealthcheck(name: string, service: ServiceConfig): void {
  const test = service.healthcheck?.test;
  if (!Array.isArray(test) || test.length === 0 || HEALTHCHECK_KINDS.includes(String(test[0]))) return;
  throw new TscError('COMPOSE_INVALID', `service "${name}": healthcheck.test must start either by "CMD", "CMD-SHELL" or "NONE"`, {
    path: formatPath(['services', name, 'healthcheck', 'test']),
    hint: 'write test: ["CMD", "curl", "-f", "http://localhost"], or a string to run it with the shell',
  });
}

/** `develop.watch`: every action but rebuild and restart copies files, so it needs a target. */
export function checkWatch(name: string, service: ServiceConfig): void {
  listOf(dig(service.develop, 'watch')).forEach((rule, index) => {
    if (!isDict(rule)) return;
    const path = formatPath(['services', name, 'develop', 'watch', index]);
    const action = String(rule.action);
    if (!WATCH_WITHOUT_TARGET.includes(action) && (rule.target === undefined || rule.target === '')) {
      throw new TscError('COMPOSE_INVALID', `services.${name}.develop.watch: target is required for non-rebuild actions (action "${action}")`, {
        path,
        hint: 'set target to the path in the container that the watched files are copied to',
      });
    }
    if (action === 'sync+exec' && isEmpty(dig(rule, 'exec', 'command'))) {
      throw new TscError('COMPOSE_INVALID', `services.${name}.develop.watch: action "sync+exec" needs exec.command`, {
        path,
        hint: 'set exec: {command: ...} to run after each sync, or use action: sync',
      });
    }
  });
}
