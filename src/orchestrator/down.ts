import type { Project } from '../compose/model.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { TscError } from '../errors/index.js';
import { LABELS } from './labels.js';
import { observeProject } from './observe.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { removeContainer, step } from './up.js';
import { removeAnonymousVolumes } from './anonymous-volumes.js';
import { removeVolumes } from './volume-admin.js';
import { removeProjectNetworks } from './project-networks.js';
import { removeOneOffs } from './one-offs.js';

export interface DownOptions {
  /** Also remove the project's named volumes (`down -v`). */
  volumes?: boolean;
  /** Remove containers of services no longer in the file; without it they are left alone. */
  removeOrphans?: boolean;
  /** `-t`: seconds between a container's stop signal and SIGKILL. */
  timeoutSeconds?: number;
  /** Told the names of the orphan containers left as they are (without `removeOrphans`), once down is done (the CLI warns). */
  onOrphans?: (names: string[]) => void;
}

/**
 * Stops and removes the project's containers, dependents first (the reverse of the start order),
 * then, with `volumes`, its named volumes. A project that never existed is nothing to do.
 */
export async function down(project: Project, stopLevels: string[][], deps: OrchestratorDeps, options: DownOptions = {}): Promise<ContainerInfo[]> {
  // One-off containers (`run`) go first: they may use the project's networks and volumes.
  await removeOneOffs(deps, project.name, options.timeoutSeconds);
  const containers = await observeProject(deps.runtime, project.name);
  const known = new Set(Object.keys(project.services));
  const serviceOf = (c: ContainerInfo): string => c.labels[LABELS.service] ?? '';
  const levels = [...stopLevels, [...new Set(containers.map(serviceOf).filter((s) => !known.has(s)))]];
  for (const level of levels) {
    const batch = containers.filter((c) => level.includes(serviceOf(c)) && (known.has(serviceOf(c)) || options.removeOrphans === true));
    await Promise.all(batch.map((c) => removeContainer(deps, c.id, c.name, options.timeoutSeconds)));
  }
  // Nothing of the project is left to check or restart.
  await deps.supervisor?.stop(project.name);
  if (options.volumes === true) {
    for (const [key, volume] of Object.entries(project.volumes ?? {})) {
      if (volume.external === true) continue;
      const name = volume.name ?? `${project.name}_${key}`;
      if ((await deps.volumes.inspect(name)) === undefined) continue;
      await step(deps, `volume ${name}`, 'Removing', 'Removed', () => removeVolumes(deps, [name]));
    }
    await removeAnonymousVolumes(deps, containers.filter((c) => known.has(serviceOf(c)) || options.removeOrphans === true));
  }
  const kept = containers.filter((c) => !known.has(serviceOf(c)) && options.removeOrphans !== true);
  await removeProjectNetworks(project, deps).catch((err: unknown) => {
    // As Compose: a network the orphans down was told to keep still use stays, and down goes on.
    if (kept.length > 0 && err instanceof TscError && err.code === 'NETWORK_IN_USE') return;
    throw err;
  });
  if (kept.length > 0) options.onOrphans?.(kept.map((c) => c.name));
  return containers;
}
