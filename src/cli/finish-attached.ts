import type { OrchestratorDeps } from '../orchestrator/orchestrator-deps.js';
import { stopServices, type LifecycleTarget } from '../orchestrator/lifecycle.js';
import type { AttachedRun } from './attached-up.js';
import { exitCodeOf } from './exit-code.js';

export interface FinishOptions {
  timeoutSeconds?: number;
  exitCodeFrom?: string;
}

/**
 * How attached `up` ends, as Compose ends it: after Ctrl-C or an aborting container exit it stops the
 * services it started (a second Ctrl-C kills them instead), and returns its exit status: the
 * `--exit-code-from` service's, else the status of the container that aborted the run, else 130
 * after Ctrl-C, else 0.
 */
export async function finishAttached(run: AttachedRun, target: LifecycleTarget, deps: OrchestratorDeps, options: FinishOptions): Promise<number> {
  const abort = run.aborted;
  if (abort !== undefined) {
    if (abort.reason === 'container') process.stderr.write('Aborting on container exit...\n');
    if (run.killed) run.forceKill();
    await stopServices(target, deps, { timeoutSeconds: options.timeoutSeconds });
  }
  if (options.exitCodeFrom !== undefined) return exitCodeOf(deps.runtime, target.project.name, options.exitCodeFrom);
  if (abort?.reason === 'container') return abort.status ?? 0;
  if (abort?.reason === 'interrupt') return 130;
  return 0;
}
