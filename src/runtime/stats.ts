import type { CgroupStats } from '../cgroups/cgroup-manager.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * What a container's cgroup has counted (memory in use, CPU time, tasks, OOM kills). Undefined when it
 * has none: never started, or no cgroups on this host. It takes no lock and writes nothing.
 */
export async function stats(ctx: RuntimeContext, ref: string): Promise<CgroupStats | undefined> {
  const { id, cgroupParent } = await ctx.store.find(ref);
  return ctx.cgroups.stats(id, cgroupParent);
}
