import type { ContainerInfo } from './container-info.js';
import type { RuntimeContext } from './runtime-context.js';
import { start } from './start.js';
import { stop, type StopOptions } from './stop.js';

/**
 * Stops a container (a paused one is thawed first; one that is not running is left as is) and starts
 * it again, as `docker restart`: a created or exited container is simply started.
 */
export async function restart(ctx: RuntimeContext, ref: string, options: StopOptions = {}): Promise<ContainerInfo> {
  const stopped = await stop(ctx, ref, options);
  return start(ctx, stopped.id);
}
