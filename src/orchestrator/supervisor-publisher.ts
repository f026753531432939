import type { Project } from '../compose/model.js';
import { parsePortsSection, type PortBinding } from '../runtime/supervisor/ports-section.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { planPorts, type PortPlan } from './published-ports.js';
import type { SupervisorControl } from './supervisor-config.js';

/**
 * The pre-flight of `up`: chooses every published host port before anything is created, so a port
 * in use fails `up` with PORT_IN_USE and nothing half made. The plan is left with the supervisor
 * control, so the syncs that follow (each level of `up`, the last one) publish those ports. Without
 * a supervisor (tests with fakes) nothing is published and nothing is checked.
 */
export async function preflightPorts(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>, deps: OrchestratorDeps): Promise<PortPlan | undefined> {
  const control = deps.supervisor;
  if (control === undefined) return undefined;
  const plan = await planPorts(project, services, control.probe, await projectPublishedPorts(deps, project.name));
  control.plans.add(project.name, plan);
  return plan;
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
