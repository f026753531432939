import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { LABELS } from './labels.js';
import { observeProject } from './observe.js';

/** Refuses a service name the project does not define, as Compose does (`no such service: x`). */
export function checkServices(project: Project, services: readonly string[]): void {
  for (const name of services) {
    if (project.services[name] === undefined) {
      throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`, { hint: 'run `tscompose config --services` to list them' });
    }
  }
}

export const serviceOf = (c: ContainerInfo): string => c.labels[LABELS.service] ?? '';

/**
 * The project's service containers (one-offs excluded), of the named services or all, sorted by name.
 * Containers whose service is no longer in the file are orphans and are left out unless asked for.
 */
export async function serviceContainers(runtime: Runtime, project: Project, services: readonly string[] = [], options: { orphans?: boolean } = {}): Promise<ContainerInfo[]> {
  checkServices(project, services);
  const all = await observeProject(runtime, project.name);
  return all
    .filter((c) => (services.length === 0 ? options.orphans === true || project.services[serviceOf(c)] !== undefined : services.includes(serviceOf(c))))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Containers grouped by the levels of a start or stop order; services not in any level (orphans) come last. */
export function byLevels(containers: readonly ContainerInfo[], levels: readonly (readonly string[])[]): ContainerInfo[][] {
  const placed = new Set<string>();
  const out: ContainerInfo[][] = [];
  for (const level of levels) {
    const batch = containers.filter((c) => level.includes(serviceOf(c)));
    for (const c of batch) placed.add(c.id);
    if (batch.length > 0) out.push(batch);
  }
  const rest = containers.filter((c) => !placed.has(c.id));
  if (rest.length > 0) out.push(rest);
  return out;
}
