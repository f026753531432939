import type { ContainerInfo } from '../runtime/container-info.js';
import type { ExitStatus } from '../kernel/kernel.js';
import type { Runtime } from '../runtime/runtime.js';
import { TscError } from '../errors/index.js';

export interface ContainerExit {
  container: ContainerInfo;
  exit: ExitStatus;
}

/**
 * Waits for every container to stop and reports each exit as it comes (`onExit`); resolves with the
 * first exit. `onFirst` runs once, at the first exit (`wait --down-project` takes the project down there,
 * which ends the others).
 */
export async function waitForContainers(runtime: Runtime, containers: readonly ContainerInfo[], hooks: { onExit?: (e: ContainerExit) => void; onFirst?: (e: ContainerExit) => Promise<void>; signal?: AbortSignal } = {}): Promise<ContainerExit> {
  if (containers.length === 0) throw new TscError('SERVICE_NOT_RUNNING', 'no containers to wait for', { hint: 'the services have no containers; start them with `tscompose up -d`' });
  let first: ContainerExit | undefined;
  let firstDone: Promise<void> | undefined;
  await Promise.all(containers.map(async (container) => {
    const exit = await runtime.wait(container.id, hooks.signal === undefined ? {} : { signal: hooks.signal }).catch((err: unknown) => {
      // Removed while waited on (by --down-project): it ended.
      if (err instanceof TscError && err.code === 'CONTAINER_NOT_FOUND' && first !== undefined) return undefined;
      throw err;
    });
    if (exit === undefined) return;
    const ended = { container, exit };
    hooks.onExit?.(ended);
    if (first === undefined) {
      first = ended;
      firstDone = hooks.onFirst?.(ended);
      await firstDone;
    }
  }));
  await firstDone;
  return first as ContainerExit;
}
