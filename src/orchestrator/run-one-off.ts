import { isAbsolute, resolve } from 'node:path';
import type { DependencyGraph } from '../compose/graph.js';
import type { Project, ServiceConfig, ServiceVolumeConfig } from '../compose/model.js';
import { serviceHash } from '../compose/service-hash.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { LABELS } from './labels.js';
import { oneOffPorts, planOneOff, publishOneOff, type OneOffPublishing } from './one-off-ports.js';
import { ensureProjectNetworks } from './project-networks.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { checkServices } from './select.js';
import { createContainer, step, up } from './up.js';
import { imageReference } from './labels.js';
import { waitForDependencies } from './wait-dependencies.js';

export interface OneOffOptions extends OneOffPublishing {
  service: string;
  /** The one-off's id, the end of its name `<project>-<service>-run-<id>`. */
  id: string;
  /** Arguments after the service: they replace its command. */
  command?: readonly string[];
  /** `--entrypoint`: replaces the entrypoint and, unless a command is given, drops the command. */
  entrypoint?: readonly string[];
  env?: Readonly<Record<string, string>>;
  user?: string;
  workdir?: string;
  /** `-v SRC:DST[:ro|rw]`: a bind when SRC is a path, else a volume of the project. */
  volumes?: readonly string[];
  labels?: Readonly<Record<string, string>>;
  name?: string;
  noDeps?: boolean;
  /** `-i` (Compose's default): stdin kept open; attached (not detached), it closes when the caller's input ends. */
  interactive?: boolean;
  /** Detached: stdin stays open for later attachments instead of closing with the first. */
  detach?: boolean;
  /** A pseudo-terminal (Compose: unless `-T`, when its output is a terminal). */
  tty?: boolean;
  /** The terminal's first size: the caller's own. */
  ttySize?: { rows: number; columns: number };
  /** Resolves relative bind sources; the current directory in the CLI. */
  workingDir: string;
  /** Labels of the project (working dir, config files). */
  projectLabels?: Readonly<Record<string, string>>;
}

/** `-v` as Compose reads it on `run`. */
export function parseRunVolume(spec: string, project: Project, workingDir: string): ServiceVolumeConfig {
  const parts = spec.split(':');
  const [source, target, mode] = parts.length === 1 ? [undefined, parts[0], undefined] : [parts[0], parts[1], parts[2]];
  if (target === undefined || target === '' || !target.startsWith('/') || parts.length > 3 || (mode !== undefined && mode !== 'ro' && mode !== 'rw')) {
    throw new TscError('USAGE', `-v ${spec}: not SOURCE:TARGET[:ro|rw] with an absolute TARGET`, { hint: 'e.g. -v ./data:/data:ro' });
  }
  const readOnly = mode === 'ro';
  if (source === undefined) {
    throw new TscError('UNSUPPORTED', `-v ${spec}: anonymous volumes are not supported on run`, { hint: 'give a host path or a volume of the project: -v SOURCE:TARGET' });
  }
  if (source.startsWith('.') || source.startsWith('/') || source.startsWith('~')) {
    return { type: 'bind', source: isAbsolute(source) ? source : resolve(workingDir, source), target, read_only: readOnly };
  }
  if (project.volumes?.[source] === undefined) {
    throw new TscError('VOLUME_NOT_FOUND', `-v ${spec}: the project has no volume "${source}"`, { hint: 'declare it in the top-level volumes section, or give a host path (./dir or /dir)' });
  }
  return { type: 'volume', source, target, read_only: readOnly };
}

/** The service as the one-off runs it: the run's flags laid over the service's own settings. */
export function oneOffService(project: Project, options: OneOffOptions): ServiceConfig {
  const base = project.services[options.service] as ServiceConfig;
  const entrypointGiven = options.entrypoint !== undefined;
  const commandGiven = options.command !== undefined && options.command.length > 0;
  return {
    ...base,
    ...(entrypointGiven ? { entrypoint: [...(options.entrypoint ?? [])] } : {}),
    ...(commandGiven ? { command: [...(options.command ?? [])] } : entrypointGiven ? { command: [] } : {}),
    ...(options.user === undefined ? {} : { user: options.user }),
    ...(options.workdir === undefined ? {} : { working_dir: options.workdir }),
    // Compose's run decides both itself, whatever the service says.
    stdin_open: options.interactive === true,
    tty: options.tty === true,
    environment: { ...(base.environment ?? {}), ...(options.env ?? {}) },
    labels: { ...(base.labels ?? {}), ...(options.labels ?? {}) },
    volumes: [...(base.volumes ?? []), ...(options.volumes ?? []).map((v) => parseRunVolume(v, project, options.workingDir))],
    container_name: options.name ?? `${project.name}-${options.service}-run-${options.id}`,
    // A one-off is never restarted and never scaled: it runs once, attached or not.
    restart: 'no',
    scale: 1,
    ports: oneOffPorts(base, options),
  };
}

/**
 * `run`'s first half: starts the service's dependencies (unless `noDeps`) and waits for their
 * conditions, then creates and starts the one-off container, labelled `oneoff=True` so `up`, `down`
 * and `ps` leave it to `run`. The caller attaches to it.
 */
export async function startOneOff(project: Project, graph: DependencyGraph, deps: OrchestratorDeps, options: OneOffOptions): Promise<ContainerInfo> {
  checkServices(project, [options.service]);
  // Its published ports are checked before anything is made, and chosen once its dependencies run.
  const early = oneOffService(project, options);
  let ports = await planOneOff(project.name, options.service, early, early.container_name ?? '', deps);
  const dependencies = graph.withDependencies([options.service]).filter((s) => s !== options.service);
  if (options.noDeps !== true && dependencies.length > 0) {
    await up(project, graph, deps, { services: dependencies, ...(options.projectLabels === undefined ? {} : { labels: options.projectLabels }) });
    await waitForDependencies(project, graph, options.service, dependencies, deps);
    ports = await planOneOff(project.name, options.service, early, early.container_name ?? '', deps);
  }
  const service = oneOffService(project, options);
  const runProject: Project = { ...project, services: { ...project.services, [options.service]: service } };
  const image = await deps.images.image(imageReference(project, options.service));
  // As Compose: the networks of the service are made when missing, dependencies or not.
  await ensureProjectNetworks(project, [options.service], deps);
  const info = await createContainer(runProject, options.service, 1, serviceHash(service), image, deps, { ...(options.projectLabels ?? {}), [LABELS.oneoff]: 'True' }, { stdinOnce: options.interactive === true && options.detach !== true, ...(options.ttySize === undefined ? {} : { ttySize: options.ttySize }) });
  try {
    await publishOneOff(project, ports, deps);
    return await step(deps, info.name, 'Starting', 'Started', () => deps.runtime.start(info.id));
  } catch (err) {
    await deps.runtime.remove(info.id, { force: true }).catch(() => undefined);
    throw err;
  }
}
