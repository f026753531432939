import type { DependencyGraph } from '../compose/graph.js';
import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { isActive } from '../runtime/container-state.js';
import type { StopOptions } from '../runtime/stop.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { recordEvent } from './record-event.js';
import { restartClosure } from './restart-dependents.js';
import { byLevels, serviceContainers, serviceOf } from './select.js';
import { preflightStartPorts } from './supervisor-publisher.js';
import { step } from './up.js';
import { waitForDependencies } from './wait-dependencies.js';

export interface LifecycleTarget {
  project: Project;
  graph: DependencyGraph;
  /** Services named on the command line; empty means all. */
  services: readonly string[];
}

export interface StopTimeout {
  /** `-t`: seconds between the stop signal and SIGKILL; default the service's stop_grace_period, else 10. */
  timeoutSeconds?: number;
}

function stopOptions(options: StopTimeout): StopOptions {
  return options.timeoutSeconds === undefined ? {} : { timeoutMs: Math.max(0, options.timeoutSeconds) * 1000 };
}

/**
 * `start`: starts the existing containers of the services that are not running, dependencies first.
 * Their published host ports are checked free first (PORT_IN_USE starts none), and are served by
 * the time it returns.
 */
export async function startServices(target: LifecycleTarget, deps: OrchestratorDeps): Promise<ContainerInfo[]> {
  const containers = await serviceContainers(deps.runtime, target.project, target.services);
  for (const service of target.services) {
    if (!containers.some((c) => serviceOf(c) === service)) {
      throw new TscError('SERVICE_NOT_RUNNING', `service "${service}" has no container to start`, { hint: `create it first with \`tscompose create ${service}\` or \`tscompose up ${service}\`` });
    }
  }
  const selected = [...new Set(containers.map(serviceOf))];
  await preflightStartPorts(target.project.name, containers, deps);
  for (const level of byLevels(containers, target.graph.startLevels())) {
    await Promise.all(groupByService(level).map(async ([service, mine]) => {
      await waitForDependencies(target.project, target.graph, service, selected, deps);
      await Promise.all(mine.filter((c) => c.status === 'created' || c.status === 'exited')
        .map(async (c) => {
          await recordEvent(deps, 'start', await step(deps, c.name, 'Starting', 'Started', () => deps.runtime.start(c.id)));
        }));
    }));
  }
  if (containers.some((c) => c.status === 'created' || c.status === 'exited')) await deps.supervisor?.refresh?.(target.project.name);
  return containers;
}

/** `stop`: stops the running containers of the services, dependents first; their published host ports are free once it returns. */
export async function stopServices(target: LifecycleTarget, deps: OrchestratorDeps, options: StopTimeout = {}): Promise<ContainerInfo[]> {
  const containers = await serviceContainers(deps.runtime, target.project, target.services);
  for (const level of byLevels(containers, target.graph.stopLevels())) {
    await Promise.all(level.filter((c) => isActive(c.status))
      .map(async (c) => {
        await step(deps, c.name, 'Stopping', 'Stopped', () => deps.runtime.stop(c.id, stopOptions(options)));
        await recordEvent(deps, 'stop', c);
      }));
  }
  // The supervisor sees the stops by itself too; asking makes the ports free before this returns. It
  // lets go of them before it binds anything, so a port it cannot serve (another's) fails no stop.
  if (containers.some((c) => isActive(c.status))) await deps.supervisor?.refresh?.(target.project.name).catch(() => undefined);
  return containers;
}

/**
 * The services `restart` acts on: the named ones and, unless `noDeps`, every service that declares
 * `restart: true` on a dependency being restarted (transitively), as Compose does.
 */
export function restartSet(project: Project, graph: DependencyGraph, services: readonly string[], noDeps: boolean): string[] {
  const chosen = new Set(services.length === 0 ? Object.keys(project.services) : services);
  if (noDeps) return [...chosen].sort();
  return [...chosen, ...restartClosure(graph, chosen, graph.services)].sort();
}

/** `restart`: stops and starts each container of the services, in dependency order. */
export async function restartServices(target: LifecycleTarget & { noDeps?: boolean }, deps: OrchestratorDeps, options: StopTimeout = {}): Promise<ContainerInfo[]> {
  const services = restartSet(target.project, target.graph, target.services, target.noDeps === true);
  const containers = await serviceContainers(deps.runtime, target.project, target.services.length === 0 ? [] : services);
  await preflightStartPorts(target.project.name, containers, deps);
  for (const level of byLevels(containers, target.graph.startLevels())) {
    await Promise.all(level.map(async (c) => {
      const info = await step(deps, c.name, 'Restarting', 'Started', () => deps.runtime.restart(c.id, stopOptions(options)));
      // As Docker reports a restart: the container started again, then the restart itself.
      await recordEvent(deps, 'start', info);
      await recordEvent(deps, 'restart', info);
    }));
  }
  await deps.supervisor?.refresh?.(target.project.name);
  return containers;
}

/** `kill`: sends a signal (default SIGKILL) to every running container of the services. */
export async function killServices(target: LifecycleTarget, deps: OrchestratorDeps, options: { signal?: string; removeOrphans?: boolean } = {}): Promise<ContainerInfo[]> {
  const all = await serviceContainers(deps.runtime, target.project, target.services, { orphans: true });
  const known = (c: ContainerInfo): boolean => target.project.services[serviceOf(c)] !== undefined;
  if (options.removeOrphans === true) {
    await Promise.all(all.filter((c) => !known(c)).map((c) => step(deps, c.name, 'Removing', 'Removed', () => deps.runtime.remove(c.id, { force: true }))));
  }
  const running = all.filter((c) => known(c) && isActive(c.status));
  if (running.length === 0) {
    throw new TscError('SERVICE_NOT_RUNNING', 'no container to kill', { hint: 'the services are not running; see `tscompose ps -a`' });
  }
  await Promise.all(running.map(async (c) => {
    await step(deps, c.name, 'Killing', 'Killed', () => deps.runtime.kill(c.id, options.signal ?? 'SIGKILL'));
    await recordEvent(deps, 'kill', c);
  }));
  return running;
}

/** `pause` / `unpause`: freezes or thaws every container of the services that can be. */
export async function pauseServices(target: LifecycleTarget, deps: OrchestratorDeps, verb: 'pause' | 'unpause'): Promise<ContainerInfo[]> {
  const containers = await serviceContainers(deps.runtime, target.project, target.services);
  const wanted = verb === 'pause' ? 'running' : 'paused';
  const chosen = containers.filter((c) => c.status === wanted);
  const [working, done] = verb === 'pause' ? ['Pausing', 'Paused'] : ['Unpausing', 'Unpaused'];
  await Promise.all(chosen.map(async (c) => {
    await step(deps, c.name, working, done, () => (verb === 'pause' ? deps.runtime.pause(c.id) : deps.runtime.unpause(c.id)));
    await recordEvent(deps, verb, c);
  }));
  return chosen;
}

/** The containers `rm` would remove: stopped ones (all of them after `stop`), orphans left out. */
export async function removableContainers(target: LifecycleTarget, deps: OrchestratorDeps): Promise<ContainerInfo[]> {
  const containers = await serviceContainers(deps.runtime, target.project, target.services);
  return containers.filter((c) => !isActive(c.status));
}

/** `rm`: removes stopped containers (a running one is refused by the runtime unless forced). */
export async function removeContainers(containers: readonly ContainerInfo[], deps: OrchestratorDeps): Promise<void> {
  await Promise.all(containers.map(async (c) => {
    await step(deps, c.name, 'Removing', 'Removed', () => deps.runtime.remove(c.id));
    await recordEvent(deps, 'destroy', c);
  }));
}

function groupByService(containers: readonly ContainerInfo[]): [string, ContainerInfo[]][] {
  const groups = new Map<string, ContainerInfo[]>();
  for (const c of containers) groups.set(serviceOf(c), [...(groups.get(serviceOf(c)) ?? []), c]);
  return [...groups];
}
