import type { Project } from '../compose/model.js';
import { allocatePorts } from '../net/ports/port-allocator.js';
import type { PortRequest } from '../net/ports/published-port.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { parsePortsSection, type PortBinding } from '../runtime/supervisor/ports-section.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { heldBindings, planPorts, type PortPlan } from './published-ports.js';
import type { SupervisorControl } from './supervisor-config.js';

/**
 * The pre-flight of `up`: chooses every published host port before anything is created, so a port
 * in use fails `up` with PORT_IN_USE and nothing half made. The plan is left with the supervisor
 * control, so the syncs that follow (each level of `up`, the last one) publish those ports. Without
 * a supervisor (tests with fakes) nothing is published and nothing is checked. The ports of a stopped
 * container are not held (the supervisor let them go), so they are checked free like any other.
 */
export async function preflightPorts(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>, deps: OrchestratorDeps): Promise<PortPlan | undefined> {
  const control = deps.supervisor;
  if (control === undefined) return undefined;
  const published = await projectPublishedPorts(deps, project.name);
  const stopped = published.length === 0 ? new Set<string>() : new Set((await deps.runtime.list()).filter((c) => c.status === 'exited').map((c) => c.name));
  const plan = await planPorts(project, services, control.probe, published.filter((b) => !stopped.has(b.container)));
  control.plans.add(project.name, plan);
  return plan;
}

/**
 * The pre-flight of `start` (and `restart`): the host ports of the stopped containers about to start,
 * which the supervisor let go when they stopped, must still be free, else PORT_IN_USE naming the port
 * and its holder, before any of them starts (as Docker's "port is already allocated"). A created
 * container is left out: its ports are served already. The supervisor is asked first to let go of
 * the ports of containers that stopped a moment ago; that it cannot does not stop the check.
 */
export async function preflightStartPorts(project: string, containers: readonly ContainerInfo[], deps: OrchestratorDeps): Promise<void> {
  const control = deps.supervisor;
  const stopped = new Set(containers.filter((c) => c.status === 'exited').map((c) => c.name));
  if (control === undefined || stopped.size === 0) return;
  const bindings = (await projectPublishedPorts(deps, project)).filter((b) => stopped.has(b.container));
  if (bindings.length === 0) return;
  await control.refresh?.(project).catch(() => undefined);
  const requests = bindings.map((b): PortRequest => ({
    container: b.container, service: b.service, hostIp: b.hostIp, hostPorts: { first: b.hostPort, last: b.hostPort }, containerPort: b.containerPort, protocol: b.protocol,
  }));
  await allocatePorts(requests, control.probe);
}

/**
 * The published ports of the project whose containers hold them now (created, running or paused), for
 * choosing new ones. When some belong to containers that no longer run, the supervisor is asked first
 * to let go of them, so the probes that follow find them free; that it cannot does not stop the caller.
 */
export async function heldPublishedPorts(deps: OrchestratorDeps, project: string): Promise<PortBinding[]> {
  const bindings = await projectPublishedPorts(deps, project);
  if (bindings.length === 0) return [];
  const held = heldBindings(bindings, await deps.runtime.list());
  if (held.length < bindings.length) await deps.supervisor?.refresh?.(project).catch(() => undefined);
  return held;
}

/** The published ports of the project (its one-offs' included), for `ps` and `port`. */
export async function projectPublishedPorts(deps: OrchestratorDeps, project: string): Promise<PortBinding[]> {
  const control = deps.supervisor;
  if (control === undefined) return [];
  return [...parsePortsSection((await control.current(project)).sections.ports).bindings];
}

/**
 * Stops serving the ports of a container being removed (`run --rm`, `down`, a failed `run`): its
 * bindings leave the config the supervisor serves, and nothing else of it changes. A container
 * that published nothing costs no round trip.
 */
export async function releasePublishedPorts(control: SupervisorControl, project: string, container: string): Promise<void> {
  const config = await control.current(project);
  const bindings = parsePortsSection(config.sections.ports).bindings;
  if (!bindings.some((b) => b.container === container)) return;
  await control.apply({ ...config, sections: { ...config.sections, ports: { bindings: bindings.filter((b) => b.container !== container) } } });
}
