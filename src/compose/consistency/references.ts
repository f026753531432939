import { TscError } from '../../errors/index.js';
import type { Project, ServiceConfig } from '../model.js';
import { formatPath, isDict, type ComposePath } from '../types.js';
import { serviceReferences } from '../graph.js';
import { dig, dictOf, listOf } from './access.js';
import { undefinedHint } from './hints.js';
import { undefinedServiceError } from './undefined-service.js';

type TopLevel = 'networks' | 'volumes' | 'secrets' | 'configs' | 'models';

/** Each service network is declared at the top level. */
export function checkNetworkRefs(project: Project, name: string, service: ServiceConfig): void {
  for (const network of Object.keys(service.networks ?? {})) {
    requireDeclared(project, name, 'networks', network, ['services', name, 'networks', network]);
  }
}

/**
 * Each service that `name` needs exists: `depends_on` (unless `required: false` and the service is
 * disabled or absent), `network_mode`/`ipc`/`pid: service:x`, `volumes_from`, `links`, and
 * `build.additional_contexts: service:x`.
 */
export function checkServiceRefs(project: Project, name: string, service: ServiceConfig): void {
  for (const ref of serviceReferences(name, service)) {
    if (project.services[ref.to] !== undefined) continue;
    if (ref.kind === 'depends_on' && !ref.required) continue;
    throw undefinedServiceError(project, { from: name, kind: ref.kind, target: ref.to, path: ref.path });
  }
  for (const [context, value] of additionalContexts(service)) {
    if (!value.startsWith('service:')) continue;
    const target = value.slice('service:'.length);
    if (project.services[target] !== undefined) continue;
    const path = ['services', name, 'build', 'additional_contexts', context];
    throw undefinedServiceError(project, { from: name, kind: 'additional_contexts', target, path });
  }
}

/** Named volumes, secrets, configs, build secrets and models a service uses are declared at the top level. */
export function checkResourceRefs(project: Project, name: string, service: ServiceConfig): void {
  (service.volumes ?? []).forEach((volume, index) => {
    if (volume.type !== 'volume' || volume.source === undefined || volume.source === '') return;
    requireDeclared(project, name, 'volumes', volume.source, ['services', name, 'volumes', index]);
  });
  listOf(service.build?.secrets).forEach((secret, index) => {
    const source = sourceOf(secret);
    if (source !== undefined) requireDeclared(project, name, 'secrets', source, ['services', name, 'build', 'secrets', index], 'build secret');
  });
  (service.configs ?? []).forEach((config, index) => {
    requireDeclared(project, name, 'configs', config.source, ['services', name, 'configs', index]);
  });
  (service.secrets ?? []).forEach((secret, index) => {
    requireDeclared(project, name, 'secrets', secret.source, ['services', name, 'secrets', index]);
  });
  for (const model of modelNames(service.models)) {
    requireDeclared(project, name, 'models', model, ['services', name, 'models', model]);
  }
}

const NOUN: Record<TopLevel, string> = { networks: 'network', volumes: 'volume', secrets: 'secret', configs: 'config', models: 'model' };

function requireDeclared(project: Project, service: string, key: TopLevel, name: string, path: ComposePath, noun = NOUN[key]): void {
  const declared = Object.keys(dictOf(project[key]));
  if (declared.includes(name)) return;
  const how = `declare it under the top-level ${key}: key`;
  throw new TscError('COMPOSE_REFERENCE', `service "${service}" refers to undefined ${noun} "${name}"`, {
    path: formatPath(path),
    hint: undefinedHint(NOUN[key], name, declared, how),
  });
}

function sourceOf(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  return isDict(entry) && typeof entry.source === 'string' ? entry.source : undefined;
}

function modelNames(models: unknown): string[] {
  if (Array.isArray(models)) return models.map(String);
  return Object.keys(dictOf(models));
}

/** `build.additional_contexts` as name/value pairs, from the mapping or the `name=value` list. */
function additionalContexts(service: ServiceConfig): Array<[string, string]> {
  const value = dig(service.build, 'additional_contexts');
  if (Array.isArray(value)) {
    return value.map((entry): [string, string] => {
      const text = String(entry);
      const eq = text.indexOf('=');
      return eq < 0 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
    });
  }
  return Object.entries(dictOf(value)).map(([key, v]): [string, string] => [key, typeof v === 'string' ? v : '']);
}

