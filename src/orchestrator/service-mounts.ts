import { parseBytes } from '../compose/canonical/bytes.js';
import type { Project, ServiceConfig, ServiceVolumeConfig, VolumeConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { PROPAGATIONS, type Propagation } from '../kernel/launch-plan.js';
import type { BindMountSpec, TmpfsMountSpec } from '../runtime/container-spec.js';
import { LABELS } from './labels.js';
import { fileMode } from './file-mode.js';
import { fileReferenceRequests, type FileRequest } from './service-files.js';

/** The label Compose puts on the volumes it creates from the top-level `volumes` section. */
export const VOLUME_LABEL = 'com.docker.compose.volume';

/** The tmpfs settings of a mount: what `tmpfs:` entries, `tmpfs` volumes and the local driver's `type: tmpfs` give. */
export interface TmpfsSettings {
  sizeBytes?: number;
  mode?: number;
  options?: string[];
  readonly?: boolean;
}

/** A named volume of the project (or an external one) mounted into the container. */
export interface NamedVolumeRequest {
  kind: 'volume';
  /** The volume's real name, e.g. `proj_data`. */
  name: string;
  /** Its key in the top-level `volumes` section. */
  key: string;
  target: string;
  readonly: boolean;
  nocopy: boolean;
  external: boolean;
  labels: Record<string, string>;
  driverOpts: Record<string, string>;
  subpath?: string;
}

export type MountRequest =
  /** A bind mount; its source is made first when `create` (short syntax, `bind.create_host_path`). */
  | { kind: 'bind'; mount: BindMountSpec; create: boolean }
  | { kind: 'tmpfs'; mount: TmpfsMountSpec }
  | NamedVolumeRequest
  /** A volume named by a random id: `- /data`, a long `volume` without source, or the image's VOLUME. */
  | { kind: 'anonymous'; target: string; readonly: boolean; nocopy: boolean }
  /** The mounts of another service's (or container's) container, read-only or read-write when given. */
  | { kind: 'volumes-from'; from: { service: string } | { container: string }; mode?: 'ro' | 'rw' }
  | FileRequest;

function usage(service: string, path: string, message: string, hint: string): TscError {
  return new TscError('COMPOSE_INVALID', `service "${service}": ${message}`, { path: `services.${service}.${path}`, hint });
}

const OPTION = /^[a-z_]+=[A-Za-z0-9._:-]+$/;

/**
 * tmpfs options as Docker takes them (`size=1m,mode=1777,uid=1000`): size and mode become settings,
 * `ro` makes it read-only, other `key=value` options pass on to the kernel; mount flags (`exec`,
 * `noexec`, `rw`, ...) are accepted and the defaults (`nosuid,nodev,noexec`) kept.
 */
export function parseTmpfsOptions(text: string, where: (message: string) => TscError): TmpfsSettings {
  const out: TmpfsSettings = {};
  for (const option of text.split(',').map((o) => o.trim()).filter((o) => o !== '')) {
    const [key = '', value] = option.split('=', 2) as [string, string | undefined];
    if (key === 'size' && value !== undefined) {
      const size = parseBytes(value);
      if (size === undefined || size <= 0) throw where(`invalid tmpfs size "${value}"`);
      out.sizeBytes = size;
    } else if (key === 'mode' && value !== undefined) {
      const mode = fileMode(value, 0o1777);
      if (mode < 0 || mode > 0o7777) throw where(`invalid tmpfs mode "${value}"`);
      out.mode = mode;
    } else if (option === 'ro') {
      out.readonly = true;
    } else if (value === undefined) {
      continue;
    } else if (OPTION.test(option)) {
      (out.options ??= []).push(option);
    } else {
      throw where(`invalid tmpfs option "${option}"`);
    }
  }
  return out;
}

/** What one service's containers mount, in the order Compose lists them, before anything is made. */
export function serviceMountRequests(project: Project, name: string, imageVolumes: readonly string[] = []): MountRequest[] {
  const service = project.services[name] as ServiceConfig | undefined;
  if (service === undefined) throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`);
  const out: MountRequest[] = [];
  (service.tmpfs ?? []).forEach((entry, index) => {
    const at = entry.indexOf(':');
    const target = at < 0 ? entry : entry.slice(0, at);
    const where = (message: string): TscError => usage(name, `tmpfs[${index}]`, message, 'write a tmpfs as /path or /path:size=1m,mode=1777');
    const settings = at < 0 ? {} : parseTmpfsOptions(entry.slice(at + 1), where);
    out.push({ kind: 'tmpfs', mount: { type: 'tmpfs', target, ...settings } });
  });
  (service.volumes ?? []).forEach((volume, index) => out.push(volumeRequest(project, name, volume, index)));
  const taken = new Set(out.map(targetOf).filter((t): t is string => t !== undefined));
  for (const path of imageVolumes) {
    if (!taken.has(path.replace(/\/+$/, '') || '/')) out.push({ kind: 'anonymous', target: path, readonly: false, nocopy: false });
  }
  (service.volumes_from ?? []).forEach((entry, index) => out.push(volumesFromRequest(name, entry, index)));
  out.push(...fileReferenceRequests(project, name));
  return out;
}

/** The container path a request mounts on; undefined for volumes_from, which brings several. */
export function targetOf(request: MountRequest): string | undefined {
  switch (request.kind) {
    case 'bind':
    case 'tmpfs':
      return request.mount.target.replace(/\/+$/, '') || '/';
    case 'volumes-from':
      return undefined;
    default:
      return request.target.replace(/\/+$/, '') || '/';
  }
}

function volumeRequest(project: Project, service: string, volume: ServiceVolumeConfig, index: number): MountRequest {
  const readonly = volume.read_only === true;
  const path = `volumes[${index}]`;
  switch (volume.type) {
    case 'bind':
      return { kind: 'bind', mount: bindMount(service, volume, path), create: volume.bind?.create_host_path === true };
    case 'tmpfs': {
      const size = volume.tmpfs?.size;
      const sizeBytes = typeof size === 'number' ? size : size === undefined ? undefined : parseBytes(size);
      if (sizeBytes !== undefined && !(sizeBytes > 0)) throw usage(service, `${path}.tmpfs.size`, `invalid tmpfs size "${size}"`, 'write a size such as 64m');
      const mode = volume.tmpfs?.mode === undefined ? undefined : fileMode(volume.tmpfs.mode, 0o1777);
      if (mode !== undefined && (mode < 0 || mode > 0o7777)) throw usage(service, `${path}.tmpfs.mode`, `invalid tmpfs mode ${volume.tmpfs?.mode}`, 'write a mode in octal, e.g. 1777');
      return { kind: 'tmpfs', mount: { type: 'tmpfs', target: volume.target, readonly, ...(sizeBytes === undefined ? {} : { sizeBytes }), ...(mode === undefined ? {} : { mode }) } };
    }
    case 'volume': {
      const nocopy = volume.volume?.nocopy === true;
      if (volume.source === undefined || volume.source === '') return { kind: 'anonymous', target: volume.target, readonly, nocopy };
      return namedVolume(project, volume.source, volume, readonly, nocopy);
    }
    default:
      throw new TscError('UNSUPPORTED', `service "${service}": volume type "${volume.type}" is not supported`, {
        path: `services.${service}.${path}`, hint: 'use a bind, volume or tmpfs mount',
      });
  }
}

function bindMount(service: string, volume: ServiceVolumeConfig, path: string): BindMountSpec {
  const propagation = volume.bind?.propagation;
  if (propagation !== undefined && !(PROPAGATIONS as readonly string[]).includes(propagation)) {
    throw usage(service, `${path}.bind.propagation`, `invalid bind propagation "${propagation}"`, `use one of ${PROPAGATIONS.join(', ')}`);
  }
  return {
    type: 'bind', source: volume.source ?? '', target: volume.target, readonly: volume.read_only === true,
    ...(propagation === undefined ? {} : { propagation: propagation as Propagation }),
    ...(volume.bind?.recursive === 'disabled' ? { recursive: false } : {}),
  };
}

function namedVolume(project: Project, key: string, volume: ServiceVolumeConfig, readonly: boolean, nocopy: boolean): NamedVolumeRequest {
  const config: VolumeConfig = project.volumes?.[key] ?? {};
  if (config.driver !== undefined && config.driver !== 'local') {
    throw new TscError('UNSUPPORTED', `volume "${key}": driver "${config.driver}" is not supported`, {
      path: `volumes.${key}.driver`, hint: 'use the local driver (leave `driver` out); its driver_opts can mount a tmpfs or bind a host path',
    });
  }
  const external = config.external === true;
  return {
    kind: 'volume',
    // An external volume is named by its key, a project one by `<project>_<key>` (the loader usually set `name`).
    name: config.name ?? (external ? key : `${project.name}_${key}`),
    key,
    target: volume.target,
    readonly,
    nocopy,
    external,
    labels: external ? {} : { ...(config.labels ?? {}), [LABELS.project]: project.name, [VOLUME_LABEL]: key },
    driverOpts: { ...(config.driver_opts ?? {}) },
    ...(volume.volume?.subpath === undefined ? {} : { subpath: volume.volume.subpath }),
  };
}

/** `db`, `db:ro`, `service:db:rw`, `container:name`, `container:name:ro`. */
function volumesFromRequest(service: string, entry: string, index: number): MountRequest {
  const parts = entry.split(':');
  const last = parts[parts.length - 1];
  const mode = parts.length > 1 && (last === 'ro' || last === 'rw') ? last : undefined;
  const names = mode === undefined ? parts : parts.slice(0, -1);
  const hint = 'write volumes_from entries as SERVICE, SERVICE:ro or container:NAME[:ro|rw]';
  if (names.length === 2 && names[0] === 'container' && names[1] !== '') return { kind: 'volumes-from', from: { container: names[1] as string }, ...(mode === undefined ? {} : { mode }) };
  if (names.length === 2 && names[0] === 'service' && names[1] !== '') return { kind: 'volumes-from', from: { service: names[1] as string }, ...(mode === undefined ? {} : { mode }) };
  if (names.length === 1 && names[0] !== '') return { kind: 'volumes-from', from: { service: names[0] as string }, ...(mode === undefined ? {} : { mode }) };
  throw usage(service, `volumes_from[${index}]`, `invalid volumes_from "${entry}"`, hint);
}
