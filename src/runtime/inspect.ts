import { toInfo, type ContainerInfo } from './container-info.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';

/** One container by id, name or id prefix, as observed now; nothing is written. */
export async function inspect(ctx: RuntimeContext, ref: string): Promise<ContainerInfo> {
  const record = await observe(ctx, await ctx.store.find(ref));
  return toInfo(record, ctx.store.pathsOf(record.id));
}
