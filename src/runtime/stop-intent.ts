import type { ContainerRecord } from './container-record.js';
import { isActive } from './container-state.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';
import { withContainer } from './with-container.js';

/**
 * Records, before a stop or kill asked for by the user, that the current run of the container was
 * stopped on purpose, so no restart policy brings it back (Docker's "manually stopped"). The mark
 * names the run (its startedAt): the next start makes it stale by itself.
 */
export async function markStoppedByUser(ctx: RuntimeContext, ref: string): Promise<void> {
  // Already marked (a stop under way holds the lock): kill must not wait for that stop to end.
  const seen = await ctx.store.find(ref);
  if (seen.startedAt !== undefined && seen.stoppedByUser === seen.startedAt) return;
  await withContainer(ctx, ref, (record) => markRecordStoppedByUser(ctx, record));
}

/** Writes the mark of {@link markStoppedByUser} on a record observed under the container's lock; returns it as written. */
export async function markRecordStoppedByUser(ctx: RuntimeContext, record: ContainerRecord): Promise<ContainerRecord> {
  if (!isActive(record.status) || record.startedAt === undefined || record.stoppedByUser === record.startedAt) return record;
  const marked = { ...record, stoppedByUser: record.startedAt };
  await ctx.store.write(marked);
  return marked;
}

/** Whether the user stopped the container's last run through tscompose. */
export async function wasStoppedByUser(ctx: RuntimeContext, ref: string): Promise<boolean> {
  const record = await observe(ctx, await ctx.store.find(ref));
  return record.startedAt !== undefined && record.stoppedByUser === record.startedAt;
}

/** Signals that end a container for good when the user sends them (the rest, e.g. SIGHUP, often only reload it). */
export const ENDING_SIGNALS: readonly string[] = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGQUIT'];
