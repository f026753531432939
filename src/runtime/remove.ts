import { TscError } from '../errors/index.js';
import { toInfo } from './container-info.js';
import type { ContainerRecord } from './container-record.js';
import { checkVerb, isActive } from './container-state.js';
import type { RuntimeContext } from './runtime-context.js';
import { stopRecord } from './stop.js';
import { withContainer } from './with-container.js';

export interface RemoveOptions {
  /** Kill a running container first (SIGKILL, no grace), and finish a removal a crash cut short. */
  readonly force?: boolean;
}

/**
 * Removes a container: refuses a running one unless forced (then kills it), marks it `removing`, removes
 * its cgroup (killing anything left in it), calls the onRemove hook (the owner drops its snapshot), and
 * deletes its directory with record, bundle and log.
 */
export async function remove(ctx: RuntimeContext, ref: string, options: RemoveOptions = {}): Promise<void> {
  await withContainer(ctx, ref, async (observed) => {
    checkVerb('remove', observed.name, observed.status, { force: options.force === true });
    let record: ContainerRecord = observed;
    if (isActive(record.status)) record = await stopRecord(ctx, record, { timeoutMs: 0 });
    const removing: ContainerRecord = { ...record, status: 'removing' };
    await ctx.store.write(removing);
    try {
      await ctx.cgroups.remove(record.id, record.cgroupParent);
      await ctx.onRemove(toInfo(removing, ctx.store.pathsOf(record.id)));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new TscError(err instanceof TscError ? err.code : 'INTERNAL', `remove \`${record.name}\`: ${message}`, {
        hint: 'fix the cause, then remove it again with force to finish',
        cause: err,
      });
    }
    await ctx.store.delete(record.id);
  });
}
