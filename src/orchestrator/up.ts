import type { DependencyGraph } from '../compose/graph.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import { serviceHash } from '../compose/service-hash.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { ImageView } from './image-view.js';
import { LABELS, containerName } from './labels.js';
import { observeProject, toObserved } from './observe.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { describeAction, plan, type Action, type DesiredService } from './plan.js';
import { serviceContainerSpec } from './service-container-spec.js';
import { waitForDependencies } from './wait-dependencies.js';

export interface UpOptions {
  /** Services named on the command line; default all. */
  services?: string[];
  noDeps?: boolean;
  forceRecreate?: boolean;
  noRecreate?: boolean;
  noStart?: boolean;
  removeOrphans?: boolean;
  dryRun?: boolean;
  signal?: AbortSignal;
}

export interface UpResult {
  actions: Action[];
  containers: ContainerInfo[];
}

/**
 * Converges the project: plan what differs, then apply it level by level of the dependency graph,
 * in parallel within a level, waiting on each service's depends_on conditions before starting it.
 */
export async function up(project: Project, graph: DependencyGraph, deps: OrchestratorDeps, options: UpOptions = {}): Promise<UpResult> {
  const selected = selectedServices(project, graph, options);
  const images = new Map<string, ImageView>();
  for (const name of selected) images.set(name, await deps.images.image(imageReference(project, name)));
  const desired: DesiredService[] = selected.map((name) => desiredService(project, name, images.get(name)));
  const observedInfo = await observeProject(deps.runtime, project.name);
  const observed = observedInfo.map(toObserved).filter((c) => options.removeOrphans === true || selected.includes(c.service));
  const actions = plan(desired, observed, {
    forceRecreate: options.forceRecreate,
    noRecreate: options.noRecreate,
    removeOrphans: options.removeOrphans,
    noStart: options.noStart,
  });
  const nameOf = (service: string, n: number): string => containerName(project.name, service, n, project.services[service]?.container_name);
  if (options.dryRun === true) {
    deps.progress({ kind: 'plan', lines: actions.length === 0 ? ['nothing to do: the project is up to date'] : actions.map((a) => describeAction(a, nameOf)) });
    return { actions, containers: observedInfo };
  }
  for (const action of actions.filter((a) => a.kind === 'remove')) await removeContainer(deps, action.container.id, action.container.name);
  for (const level of graph.startLevels()) {
    const services = level.filter((s) => selected.includes(s));
    await Promise.all(services.map(async (service) => {
      await waitForDependencies(project, graph, service, selected, deps, options.signal);
      const mine = actions.filter((a) => a.service === service && a.kind !== 'remove');
      await Promise.all(mine.map((action) => applyAction(action, project, deps, images.get(service) as ImageView, desired, options)));
    }));
  }
  return { actions, containers: await observeProject(deps.runtime, project.name) };
}

function selectedServices(project: Project, graph: DependencyGraph, options: UpOptions): string[] {
  const named = options.services !== undefined && options.services.length > 0 ? options.services : Object.keys(project.services);
  for (const name of named) {
    if (project.services[name] === undefined) throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`, { hint: 'run `tscompose config --services` to list them' });
  }
  return options.noDeps === true ? named : graph.withDependencies(named);
}

export function imageReference(project: Project, service: string): string {
  return project.services[service]?.image ?? `${project.name}-${service}`;
}

function replicas(service: ServiceConfig): number {
  const deploy = service.deploy as { replicas?: number } | undefined;
  return Number(service.scale ?? deploy?.replicas ?? 1);
}

function desiredService(project: Project, name: string, image: ImageView | undefined): DesiredService {
  const service = project.services[name] as ServiceConfig;
  return {
    name,
    replicas: replicas(service),
    configHash: serviceHash(service),
    ...(image === undefined ? {} : { imageDigest: image.digest }),
    ...(service.container_name === undefined ? {} : { containerName: service.container_name }),
  };
}

async function applyAction(action: Action, project: Project, deps: OrchestratorDeps, image: ImageView, desired: DesiredService[], options: UpOptions): Promise<void> {
  if (action.kind === 'start') {
    await step(deps, action.container.name, 'Starting', 'Started', () => deps.runtime.start(action.container.id));
    return;
  }
  if (action.kind === 'recreate') await removeContainer(deps, action.container.id, action.container.name);
  if (action.kind === 'create' || action.kind === 'recreate') {
    const hash = desired.find((d) => d.name === action.service)?.configHash ?? '';
    const info = await createContainer(project, action.service, action.number, hash, image, deps);
    if (options.noStart !== true) await step(deps, info.name, 'Starting', 'Started', () => deps.runtime.start(info.id));
  }
}

async function createContainer(project: Project, service: string, number: number, configHash: string, image: ImageView, deps: OrchestratorDeps): Promise<ContainerInfo> {
  const name = containerName(project.name, service, number, project.services[service]?.container_name);
  return step(deps, name, 'Creating', 'Created', async () => {
    for (const volume of project.services[service]?.volumes ?? []) {
      if (volume.type !== 'volume' || volume.source === undefined) continue;
      const volumeName = project.volumes?.[volume.source]?.name ?? `${project.name}_${volume.source}`;
      await deps.volumes.ensure(volumeName, { [LABELS.project]: project.name, 'com.docker.compose.volume': volume.source });
    }
    const rootfs = await deps.images.prepareRootfs(name, image.reference);
    try {
      const spec = serviceContainerSpec({ project, service, number, configHash, volumeDir: (v) => deps.volumes.path(v) }, image, rootfs);
      return await deps.runtime.create(spec);
    } catch (err) {
      await deps.images.releaseRootfs(name);
      throw err;
    }
  });
}

export async function removeContainer(deps: OrchestratorDeps, id: string, name: string): Promise<void> {
  await step(deps, name, 'Stopping', 'Stopped', () => deps.runtime.stop(id).catch(() => undefined));
  await step(deps, name, 'Removing', 'Removed', () => deps.runtime.remove(id, { force: true }));
}

/** Runs one visible step, reporting it as working, then done or failed (with the error's context added). */
export async function step<T>(deps: OrchestratorDeps, resource: string, working: string, done: string, run: () => Promise<T>): Promise<T> {
  deps.progress({ kind: 'action', resource, status: 'working', text: working });
  try {
    const value = await run();
    deps.progress({ kind: 'action', resource, status: 'done', text: done });
    return value;
  } catch (err) {
    deps.progress({ kind: 'action', resource, status: 'failed', text: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
