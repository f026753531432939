import { TscError } from '../errors/index.js';
import type { ExitStatus } from '../kernel/kernel.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { currentHealth } from '../runtime/supervisor/health-record.js';
import { watchingTicker } from '../runtime/ticker.js';

export type ReadyOutcome =
  | { readonly kind: 'ready' }
  | { readonly kind: 'unhealthy'; readonly output: string }
  | { readonly kind: 'exited'; readonly exit: ExitStatus | undefined }
  | { readonly kind: 'gone' };

/** The longest pause between two looks; inotify on the container directory ends a pause at once. */
const FALLBACK_MS = 250;

/**
 * Waits until a container is ready: running, and healthy when `healthy` is asked (its health record,
 * written by the supervisor, says so for the current run). Wakes on every change in the container's
 * directory (the health record and the exit file are renamed into place there), so the wait ends the
 * moment the record turns. Ends early when the container exits or is removed.
 */
export async function waitReady(runtime: Runtime, container: ContainerInfo, healthy: boolean, signal?: AbortSignal): Promise<ReadyOutcome> {
  const ticker = watchingTicker(container.paths.dir);
  try {
    for (;;) {
      let now: ContainerInfo;
      try {
        now = await runtime.inspect(container.id);
      } catch (err) {
        if (err instanceof TscError && err.code === 'CONTAINER_NOT_FOUND') return { kind: 'gone' };
        throw err;
      }
      if (now.status === 'exited' || now.status === 'removing') return { kind: 'exited', exit: now.exit };
      if (now.status === 'running') {
        if (!healthy) return { kind: 'ready' };
        const health = await currentHealth(now.paths.dir, now.startedAt);
        if (health?.status === 'healthy') return { kind: 'ready' };
        if (health?.status === 'unhealthy') return { kind: 'unhealthy', output: health.log.at(-1)?.output.trim() ?? '' };
      }
      await ticker.tick(FALLBACK_MS, signal);
    }
  } finally {
    ticker.close();
  }
}
