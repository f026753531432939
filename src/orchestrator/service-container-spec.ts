import type { Project, ServiceConfig } from '../compose/model.js';
import { parseDuration } from '../compose/canonical/duration.js';
import type { ContainerSpec, MountSpec, RlimitSpec } from '../runtime/container-spec.js';
import type { RootfsPlan, RlimitType } from '../kernel/launch-plan.js';
import { TscError } from '../errors/index.js';
import type { ImageView } from './image-view.js';
import { LABELS, containerName } from './labels.js';
import { serviceResources } from './service-resources.js';
import { logSpecOf } from './service-logging.js';

export interface ContainerIdentity {
  project: Project;
  service: string;
  number: number;
  configHash: string;
  /** `run -e` and the like: wins over everything else. */
  extraEnv?: Record<string, string>;
  /** The mounts as containerMounts() prepared them (volumes made, secrets written). */
  mounts: readonly MountSpec[];
  /** Labels tscompose adds beyond the service's own (project working dir and config files). */
  extraLabels?: Readonly<Record<string, string>>;
  /** With `stdin_open`: the stdin closes when the first attached client leaves (`run -i`, docker's StdinOnce). */
  stdinOnce?: boolean;
  /** With tty: the terminal's first size (the caller's own, for `run`). */
  ttySize?: { rows: number; columns: number };
}

/**
 * The one translation from a compose service to a container spec, with Docker's rules: an
 * entrypoint given by the service drops the image's CMD; environment is image ENV, then the
 * service's environment (env_file already folded in by the loader), then `run -e`.
 */
export function serviceContainerSpec(id: ContainerIdentity, image: ImageView, rootfs: Omit<RootfsPlan, 'readonly'>): ContainerSpec {
  const service = id.project.services[id.service];
  if (service === undefined) throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${id.service}`);
  const name = containerName(id.project.name, id.service, id.number, service.container_name);
  const entrypoint = service.entrypoint ?? image.entrypoint ?? [];
  const command = service.command ?? (service.entrypoint !== undefined ? [] : image.cmd ?? []);
  const args = [...entrypoint, ...command];
  if (args.length === 0) {
    throw new TscError('CONTAINER_START', `create \`${name}\`: no command specified`, {
      hint: `give service "${id.service}" a command or an entrypoint, or use an image that has one`,
    });
  }
  const stopGrace = service.stop_grace_period === undefined ? undefined : parseDuration(service.stop_grace_period);
  const resources = serviceResources(id.service, service);
  return {
    name,
    labels: {
      ...(service.labels ?? {}),
      [LABELS.project]: id.project.name,
      [LABELS.service]: id.service,
      [LABELS.number]: String(id.number),
      [LABELS.configHash]: id.configHash,
      [LABELS.oneoff]: 'False',
      [LABELS.image]: image.digest,
      ...(id.extraLabels ?? {}),
    },
    image: { reference: image.reference, digest: image.digest },
    rootfs,
    readonlyRootfs: service.read_only === true,
    process: {
      args,
      env: environment(image.env, service, id.extraEnv),
      cwd: service.working_dir ?? (image.workingDir === '' ? '/' : image.workingDir),
      ...(service.user ?? image.user ? { user: service.user ?? image.user } : {}),
    },
    ...(service.hostname === undefined ? {} : { hostname: service.hostname }),
    ...(service.domainname === undefined ? {} : { domainname: service.domainname }),
    capabilities: { add: service.cap_add ?? [], drop: service.cap_drop ?? [], privileged: service.privileged === true },
    mounts: [...id.mounts],
    rlimits: rlimits(service),
    noNewPrivileges: (service.security_opt ?? []).some((o) => /^no-new-privileges(:true|=true)?$/.test(o)),
    init: service.init === true,
    ...(service.stdin_open === true ? { stdin: id.stdinOnce === true ? 'once' : 'open' } : {}),
    ...(service.tty === true ? { tty: true, ...(id.ttySize === undefined ? {} : { ttySize: id.ttySize }) } : {}),
    ...(service.stop_signal ?? image.stopSignal ? { stopSignal: (service.stop_signal ?? image.stopSignal) as NodeJS.Signals } : {}),
    ...(stopGrace === undefined ? {} : { stopGracePeriodMs: Math.round(stopGrace / 1e6) }),
    network: service.network_mode === 'host' ? 'host' : 'none',
    ...(service.sysctls === undefined ? {} : { sysctls: service.sysctls }),
    ...logSpecOf(service.logging?.options),
    ...(resources === undefined ? {} : { resources }),
  };
}

function environment(imageEnv: string[], service: ServiceConfig, extra: Record<string, string> = {}): string[] {
  const env = new Map<string, string>();
  for (const entry of imageEnv) {
    const at = entry.indexOf('=');
    env.set(at < 0 ? entry : entry.slice(0, at), at < 0 ? '' : entry.slice(at + 1));
  }
  for (const [key, value] of Object.entries(service.environment ?? {})) if (value !== null) env.set(key, value);
  for (const [key, value] of Object.entries(extra)) env.set(key, value);
  return [...env].map(([k, v]) => `${k}=${v}`);
}

function rlimits(service: ServiceConfig): RlimitSpec[] {
  return Object.entries(service.ulimits ?? {}).map(([name, limit]) => {
    const value = typeof limit === 'number' ? { soft: limit, hard: limit } : limit;
    return { type: `RLIMIT_${name.toUpperCase()}` as RlimitType, soft: value.soft, hard: value.hard };
  });
}
