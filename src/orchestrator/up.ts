import type { DependencyGraph } from '../compose/graph.js';
import type { Project, ServiceConfig } from '../compose/model.js';
import { serviceHash } from '../compose/service-hash.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { ImageView } from './image-view.js';
import { containerName, imageReference } from './labels.js';
import { observeProject, toObserved } from './observe.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { describeAction, describeNetworkAction, plan, type Action, type DesiredService, type ObservedContainer } from './plan.js';
import { serviceContainerSpec } from './service-container-spec.js';
import { anonymousVolumesOf } from './anonymous-volumes.js';
import { containerMounts, type ContainerMountOptions } from './container-mounts.js';
import { waitForDependencies } from './wait-dependencies.js';
import { recordEvent } from './record-event.js';
import { withDependentRestarts } from './restart-dependents.js';
import { SupervisorSync } from './supervisor-config.js';
import { createWithNetwork } from './container-network.js';
import { addNetworkFacts, ensureProjectNetworks } from './project-networks.js';
import { preflightPorts } from './supervisor-publisher.js';

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
  /** `--scale SERVICE=N`: replicas that win over the file's scale and deploy.replicas. */
  scale?: Readonly<Record<string, number>>;
  /** `--always-recreate-deps`: the dependencies of the named services are recreated. */
  alwaysRecreateDeps?: boolean;
  /** `-t`: seconds a container being recreated or removed gets between its stop signal and SIGKILL. */
  timeoutSeconds?: number;
  /** Labels put on every container created (the project's working dir and config files). */
  labels?: Readonly<Record<string, string>>;
  /** `-V`: recreated containers get new anonymous volumes instead of their predecessors' ones. */
  renewAnonVolumes?: boolean;
  /** The project's variables, for secrets and configs with an `environment` source. */
  variables?: Readonly<Record<string, string>>;
  /** Every service the compose files declare, whatever the profiles and the selection; containers of any other service are orphans. Default: the project's. */
  knownServices?: readonly string[];
  /** Told the names of the orphan containers found, when they are not removed (the CLI warns). */
  onOrphans?: (names: string[]) => void;
}

export interface UpResult {
  actions: Action[];
  containers: ContainerInfo[];
}

/**
 * Converges the project: plan what differs, then apply it in parallel as far as the dependency graph
 * allows, waiting on each service's depends_on conditions before starting it (see applyInOrder).
 */
export async function up(project: Project, graph: DependencyGraph, deps: OrchestratorDeps, options: UpOptions = {}): Promise<UpResult> {
  const selected = selectedServices(project, graph, options);
  const [images, observedInfo] = await Promise.all([serviceImages(project, selected, deps), observeProject(deps.runtime, project.name)]);
  const desired: DesiredService[] = selected.map((name) => desiredService(project, name, images.get(name), options.scale?.[name]));
  const known = new Set([...(options.knownServices ?? []), ...Object.keys(project.services)]);
  const all = observedInfo.map(toObserved);
  // Containers of services left out by the selection or a profile are not orphans: only those of services the files no longer have.
  const observed = all.filter((c) => selected.includes(c.service) || (options.removeOrphans === true && !known.has(c.service)));
  if (options.removeOrphans !== true) {
    const orphans = all.filter((c) => !known.has(c.service)).map((c) => c.name);
    if (orphans.length > 0) options.onOrphans?.(orphans);
  }
  await addNetworkFacts(project, desired, observed, deps);
  const planned = planUp(desired, observed, options, alwaysRecreated(graph, selected, options));
  const actions = options.noRecreate === true ? planned : withDependentRestarts(planned, observed, graph, selected);
  const nameOf = (service: string, n: number): string => containerName(project.name, service, n, project.services[service]?.container_name);
  if (options.dryRun === true) {
    const networkActions = await ensureProjectNetworks(project, selected, deps, true);
    if (networkActions.length > 0) deps.progress({ kind: 'plan', lines: networkActions.map(describeNetworkAction) });
    deps.progress({ kind: 'plan', lines: actions.length === 0 ? ['nothing to do: the project is up to date'] : actions.map((a) => describeAction(a, nameOf)) });
    return { actions, containers: observedInfo };
  }
  // Published ports are chosen (and checked free) before anything is created.
  await preflightPorts(project, desired, deps);
  const starting = actions.some((a) => a.kind !== 'remove');
  // A bridge the host lost (a reboot) comes back with the containers that start again on it.
  await ensureProjectNetworks(project, selected, deps, false, starting);
  const supervisor = new SupervisorSync(project, deps, images);
  // With containers to make, the supervisor is started now, while they are created; later syncs wait for it.
  if (starting) supervisor.warmUp();
  for (const action of actions.filter((a) => a.kind === 'remove')) await removeContainer(deps, action.container.id, action.container.name, options.timeoutSeconds);
  const sync = coalesced(() => supervisor.sync());
  await applyInOrder({ project, graph, selected, actions, deps, images, desired, options, sync });
  await sync();
  // A container started again leaves the config as it was (no reload): the supervisor is told to look, so its ports are served when up returns.
  if (actions.some((a) => a.kind === 'start')) await deps.supervisor?.refresh?.(project.name);
  return { actions, containers: actions.length === 0 ? observedInfo : await observeProject(deps.runtime, project.name) };
}

/** The image of each selected service, every reference looked up once and all at once; the first failure in service order is thrown. */
async function serviceImages(project: Project, selected: string[], deps: OrchestratorDeps): Promise<Map<string, ImageView>> {
  const lookups = new Map<string, Promise<ImageView>>();
  for (const name of selected) {
    const reference = imageReference(project, name);
    if (!lookups.has(reference)) lookups.set(reference, deps.images.image(reference));
  }
  await Promise.allSettled(lookups.values());
  const images = new Map<string, ImageView>();
  for (const name of selected) images.set(name, await (lookups.get(imageReference(project, name)) as Promise<ImageView>));
  return images;
}

/** How many containers are created at once: enough to overlap their waits on disk and kernel, few enough for a small machine. */
const CREATE_CONCURRENCY = 4;

interface ApplyContext {
  project: Project;
  graph: DependencyGraph;
  selected: string[];
  actions: Action[];
  deps: OrchestratorDeps;
  images: Map<string, ImageView>;
  desired: DesiredService[];
  options: UpOptions;
  sync: () => Promise<void>;
}

/**
 * Applies the create, recreate and start actions as far as the dependency graph allows rather than
 * level by level: a service's containers are created (at most CREATE_CONCURRENCY at a time in the
 * project) once every service it depends on is done, and started once its depends_on conditions
 * hold. A service that others wait for is made known to the supervisor before they go on (its health
 * for service_healthy, its names for DNS, its ports and restart policy); the rest are made known by
 * the final sync. After a failure no further service begins; the first error is thrown once the
 * services under way have settled.
 */
async function applyInOrder(ctx: ApplyContext): Promise<void> {
  const { graph, selected, actions } = ctx;
  const slot = limiter(CREATE_CONCURRENCY);
  const done = new Map<string, Promise<void>>();
  let failed = false;
  const serve = async (service: string): Promise<void> => {
    await Promise.all(graph.dependencies(service).map((d) => done.get(d)));
    const mine = actions.filter((a) => a.service === service && a.kind !== 'remove');
    if (failed) return;
    try {
      let ready: Promise<void> | undefined;
      const dependencies = (): Promise<void> => (ready ??= waitForDependencies(ctx.project, graph, service, selected, ctx.deps, ctx.options.signal));
      await Promise.all(mine.map((action) => applyAction(action, ctx.project, ctx.deps, ctx.images.get(service) as ImageView, ctx.desired, ctx.options, dependencies, slot)));
      await dependencies();
      if (mine.length > 0 && graph.dependents(service).some((d) => selected.includes(d))) await ctx.sync();
    } catch (err) {
      failed = true;
      throw err;
    }
  };
  // Start levels list every service after the ones it depends on, so each finds their promises here.
  for (const service of graph.startLevels().flat().filter((s) => selected.includes(s))) {
    const task = serve(service);
    task.catch(() => undefined);
    done.set(service, task);
  }
  const outcomes = await Promise.allSettled(done.values());
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

/** Runs at most `n` of the given jobs at once, the others waiting in order; a finished job hands its slot to the next. */
export function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((resolve) => queue.push(resolve));
    else active++;
    try {
      return await job();
    } finally {
      const next = queue.shift();
      if (next === undefined) active--;
      else next();
    }
  };
}

/** Calls made while one is still waiting its turn share it; one made once it runs gets the next. */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> = Promise.resolve();
  let next: Promise<void> | undefined;
  return () => {
    next ??= current.catch(() => undefined).then(() => {
      next = undefined;
      return run();
    });
    current = next;
    return next;
  };
}

export function selectedServices(project: Project, graph: DependencyGraph, options: Pick<UpOptions, 'services' | 'noDeps'>): string[] {
  const named = options.services !== undefined && options.services.length > 0 ? options.services : Object.keys(project.services);
  for (const name of named) {
    if (project.services[name] === undefined) throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`, { hint: 'run `tscompose config --services` to list them' });
  }
  return options.noDeps === true ? named : graph.withDependencies(named);
}

export function replicas(service: ServiceConfig): number {
  const deploy = service.deploy as { replicas?: number } | undefined;
  return Number(service.scale ?? deploy?.replicas ?? 1);
}

function desiredService(project: Project, name: string, image: ImageView | undefined, scale?: number): DesiredService {
  const service = project.services[name] as ServiceConfig;
  return {
    name,
    replicas: scale ?? replicas(service),
    configHash: serviceHash(service),
    ...(image === undefined ? {} : { imageDigest: image.digest }),
    ...(service.container_name === undefined ? {} : { containerName: service.container_name }),
  };
}

type Slot = <T>(job: () => Promise<T>) => Promise<T>;

async function applyAction(action: Action, project: Project, deps: OrchestratorDeps, image: ImageView, desired: DesiredService[], options: UpOptions, beforeStart: () => Promise<void>, slot: Slot): Promise<void> {
  if (action.kind === 'start') {
    await beforeStart();
    await recordEvent(deps, 'start', await step(deps, action.container.name, 'Starting', 'Started', () => deps.runtime.start(action.container.id)));
    return;
  }
  if (action.kind === 'create' || action.kind === 'recreate') {
    const info = await slot(async () => {
      const reuse = action.kind === 'recreate' && options.renewAnonVolumes !== true ? anonymousVolumesOf(await deps.runtime.inspect(action.container.id)) : undefined;
      if (action.kind === 'recreate') await removeContainer(deps, action.container.id, action.container.name, options.timeoutSeconds);
      const hash = desired.find((d) => d.name === action.service)?.configHash ?? '';
      const mountOptions = { ...(reuse === undefined ? {} : { reuse }), ...(options.variables === undefined ? {} : { variables: options.variables }) };
      const created = await createContainer(project, action.service, action.number, hash, image, deps, options.labels, mountOptions);
      await recordEvent(deps, 'create', created);
      return created;
    });
    if (options.noStart !== true) {
      await beforeStart();
      await step(deps, info.name, 'Starting', 'Started', () => deps.runtime.start(info.id));
      await recordEvent(deps, 'start', info);
    }
  }
}

/** Creates one container of a service (its volumes, mounts and networks first); `run` uses it for one-offs. */
/** How one container is made, beyond its service: mounts to reuse, variables, and `run -i`'s stdin. */
export interface CreateContainerOptions extends ContainerMountOptions {
  /** The container's stdin closes when the first attached client leaves (docker's StdinOnce). */
  stdinOnce?: boolean;
  /** With tty: the terminal's first window size. */
  ttySize?: { rows: number; columns: number };
}

export async function createContainer(project: Project, service: string, number: number, configHash: string, image: ImageView, deps: OrchestratorDeps, labels?: Readonly<Record<string, string>>, options: CreateContainerOptions = {}): Promise<ContainerInfo> {
  const name = containerName(project.name, service, number, project.services[service]?.container_name);
  return step(deps, name, 'Creating', 'Created', async () => {
    const rootfs = await deps.images.prepareRootfs(name, image.reference);
    try {
      const mounts = await containerMounts(project, service, name, image, rootfs, deps, options);
      const spec = serviceContainerSpec({ project, service, number, configHash, mounts, ...(labels === undefined ? {} : { extraLabels: labels }), ...(options.stdinOnce === true ? { stdinOnce: true } : {}), ...(options.ttySize === undefined ? {} : { ttySize: options.ttySize }) }, image, rootfs);
      return await createWithNetwork(deps, project, service, spec);
    } catch (err) {
      await deps.images.releaseRootfs(name);
      await deps.files?.release(name);
      throw err;
    }
  });
}

export async function removeContainer(deps: OrchestratorDeps, id: string, name: string, timeoutSeconds?: number): Promise<void> {
  const stopOptions = timeoutSeconds === undefined ? {} : { timeoutMs: timeoutSeconds * 1000 };
  const subject = deps.events === undefined ? undefined : await deps.runtime.inspect(id).catch(() => undefined);
  await step(deps, name, 'Stopping', 'Stopped', () => deps.runtime.stop(id, stopOptions).catch(() => undefined));
  if (subject?.status === 'running' || subject?.status === 'paused') await recordEvent(deps, 'stop', subject);
  await step(deps, name, 'Removing', 'Removed', () => deps.runtime.remove(id, { force: true }));
  if (subject !== undefined) await recordEvent(deps, 'destroy', subject);
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

/** The dependencies of the named services, which `--always-recreate-deps` recreates. */
function alwaysRecreated(graph: DependencyGraph, selected: string[], options: UpOptions): Set<string> {
  if (options.alwaysRecreateDeps !== true || options.services === undefined || options.services.length === 0) return new Set();
  const named = new Set(options.services);
  return new Set(selected.filter((s) => !named.has(s) && graph.has(s)));
}

/** The plan, with the services of `forced` planned as under `--force-recreate`. */
function planUp(desired: DesiredService[], observed: ObservedContainer[], options: UpOptions, forced: Set<string>): Action[] {
  const common = { noRecreate: options.noRecreate, noStart: options.noStart };
  const rest = plan(desired.filter((d) => !forced.has(d.name)), observed.filter((o) => !forced.has(o.service)), { ...common, forceRecreate: options.forceRecreate, removeOrphans: options.removeOrphans });
  if (forced.size === 0) return rest;
  return [...plan(desired.filter((d) => forced.has(d.name)), observed.filter((o) => forced.has(o.service)), { ...common, forceRecreate: true }), ...rest];
}
