import type { ContainerInfo } from '../runtime/container-info.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { isAnonymousVolumeName } from './prepare-mounts.js';
import { step } from './up.js';

/** The anonymous volumes a container mounts, by target: what its replacement reuses on recreate. */
export function anonymousVolumesOf(info: ContainerInfo): Map<string, string> {
  const out = new Map<string, string>();
  for (const mount of info.spec.mounts ?? []) {
    if (mount.type === 'volume' && isAnonymousVolumeName(mount.name)) out.set(mount.target, mount.name);
  }
  return out;
}

/**
 * Removes the anonymous volumes of containers that are gone (`down -v`, `rm -v`), except those another
 * container still mounts (through volumes_from, say).
 */
export async function removeAnonymousVolumes(deps: OrchestratorDeps, removed: readonly ContainerInfo[]): Promise<void> {
  const names = new Set(removed.flatMap((c) => [...anonymousVolumesOf(c).values()]));
  if (names.size === 0) return;
  const gone = new Set(removed.map((c) => c.id));
  for (const other of await deps.runtime.list()) {
    if (gone.has(other.id)) continue;
    for (const name of anonymousVolumesOf(other).values()) names.delete(name);
  }
  for (const name of [...names].sort()) {
    if ((await deps.volumes.inspect(name)) === undefined) continue;
    await step(deps, `volume ${name}`, 'Removing', 'Removed', () => deps.volumes.remove(name));
  }
}
