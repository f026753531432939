import { LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { removeContainer } from './up.js';

/**
 * Removes the project's one-off containers (`run`), running or not: `down` does this first, since they
 * may use the project's networks and volumes.
 */
export async function removeOneOffs(deps: OrchestratorDeps, project: string, timeoutSeconds?: number): Promise<void> {
  const oneOffs = await deps.runtime.list({ labels: { [LABELS.project]: project, [LABELS.oneoff]: 'True' } });
  await Promise.all(oneOffs.map((c) => removeContainer(deps, c.id, c.name, timeoutSeconds)));
}
