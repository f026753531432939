import { TscError } from '../errors/index.js';
import { toInfo, type ContainerInfo } from './container-info.js';
import type { ContainerRecord } from './container-record.js';
import { checkVerb } from './container-state.js';
import type { RuntimeContext } from './runtime-context.js';
import { withContainer } from './with-container.js';

function inVerb(verb: string, name: string, err: unknown): unknown {
  return err instanceof TscError ? err.wrap(`${verb} \`${name}\``) : err;
}

/**
 * Freezes every process of a running container through its cgroup's freezer, and records it as
 * `paused`. Needs a cgroup manager with a freezer (the null manager refuses).
 */
export async function pause(ctx: RuntimeContext, ref: string): Promise<ContainerInfo> {
  return withContainer(ctx, ref, async (record) => {
    checkVerb('pause', record.name, record.status);
    try {
      await ctx.cgroups.freeze(record.id, record.cgroupParent);
    } catch (err) {
      throw inVerb('pause', record.name, err);
    }
    const paused: ContainerRecord = { ...record, status: 'paused' };
    await ctx.store.write(paused);
    return toInfo(paused, ctx.store.pathsOf(record.id));
  });
}

/** Thaws a paused container and records it as running again. */
export async function unpause(ctx: RuntimeContext, ref: string): Promise<ContainerInfo> {
  return withContainer(ctx, ref, async (record) => {
    checkVerb('unpause', record.name, record.status);
    const running = await thawRecord(ctx, record);
    await ctx.store.write(running);
    return toInfo(running, ctx.store.pathsOf(record.id));
  });
}

/** A paused container thawed (the record as running, not written); any other record as it is. */
export async function thawRecord(ctx: RuntimeContext, record: ContainerRecord): Promise<ContainerRecord> {
  if (record.status !== 'paused') return record;
  try {
    await ctx.cgroups.thaw(record.id, record.cgroupParent);
  } catch (err) {
    throw inVerb('unpause', record.name, err);
  }
  return { ...record, status: 'running' };
}
