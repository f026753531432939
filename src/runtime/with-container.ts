import { TscError } from '../errors/index.js';
import type { ContainerRecord } from './container-record.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';

/**
 * Finds a container by id, name or id prefix, takes its lock, and runs `fn` on its record as observed
 * now (re-read under the lock, so a verb never acts on what another one just changed).
 */
export async function withContainer<T>(ctx: RuntimeContext, ref: string, fn: (record: ContainerRecord) => Promise<T>): Promise<T> {
  const found = await ctx.store.find(ref);
  return ctx.withLock({ id: found.id }, async () => {
    const current = await ctx.store.read(found.id);
    if (current === undefined) {
      throw new TscError('CONTAINER_NOT_FOUND', `no such container: ${ref}`, { hint: 'it was removed while this command waited for it' });
    }
    return fn(await observe(ctx, current));
  });
}
