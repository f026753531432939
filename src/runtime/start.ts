import { rm } from 'node:fs/promises';
import { TscError } from '../errors/index.js';
import type { LaunchResult } from '../kernel/kernel.js';
import type { LaunchPlan } from '../kernel/launch-plan.js';
import { prepareBundle } from './bundle.js';
import { toInfo, type ContainerInfo } from './container-info.js';
import type { ContainerRecord } from './container-record.js';
import { checkVerb } from './container-state.js';
import { nowIso, type RuntimeContext } from './runtime-context.js';
import { withContainer } from './with-container.js';

export interface StartOptions {
  /** A restart by a restart policy: counted in the record's restartCount. */
  readonly countRestart?: boolean;
  readonly signal?: AbortSignal;
}

/**
 * Starts a created or exited container: rebuilds its plan against the host as it is now, rewrites
 * config.json, clears the exit file of the last run, makes its cgroup afresh (so its counters are this
 * run's) and launches it inside. A failed launch leaves the container as it was, without a cgroup and
 * with the failure in `error`, and throws.
 */
export async function start(ctx: RuntimeContext, ref: string, options: StartOptions = {}): Promise<ContainerInfo> {
  return withContainer(ctx, ref, async (record) => {
    checkVerb('start', record.name, record.status);
    const paths = ctx.store.pathsOf(record.id);
    let plan: LaunchPlan;
    try {
      plan = await prepareBundle(ctx, record);
    } catch (err) {
      throw err instanceof TscError && err.code === 'CONTAINER_START' ? err.wrap(`start \`${record.name}\``) : err;
    }
    await rm(paths.exitFile, { force: true });
    // A record from before parents were kept gets this runtime's, where its cgroup is now made.
    const cgroupParent = record.cgroupParent ?? ctx.cgroups.parent;
    let launched: LaunchResult;
    try {
      launched = await launchInCgroup(ctx, record, plan, cgroupParent, options.signal);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await ctx.cgroups.remove(record.id, cgroupParent).catch(() => undefined);
      await ctx.store.write({ ...record, error: message });
      throw err instanceof TscError ? err : new TscError('INTERNAL', `start \`${record.name}\`: ${message}`, { cause: err });
    }
    const { exit: _exit, finishedAt: _finished, error: _error, ...rest } = record;
    const running: ContainerRecord = {
      ...rest,
      status: 'running',
      startedAt: nowIso(ctx),
      container: launched.container,
      monitor: launched.monitor,
      restartCount: record.restartCount + (options.countRestart === true ? 1 : 0),
      ...(cgroupParent === undefined ? {} : { cgroupParent }),
    };
    await ctx.store.write(running);
    return toInfo(running, paths);
  });
}

/** Makes the container's cgroup afresh with its limits, under its recorded parent, and launches the plan inside it. */
async function launchInCgroup(
  ctx: RuntimeContext, record: ContainerRecord, plan: LaunchPlan, cgroupParent: string | undefined, signal?: AbortSignal,
): Promise<LaunchResult> {
  let cgroups: readonly string[];
  try {
    cgroups = await ctx.cgroups.create(record.id, record.spec.resources ?? {}, cgroupParent);
  } catch (err) {
    throw err instanceof TscError ? err.wrap(`start \`${record.name}\``) : err;
  }
  return ctx.kernel.launch(cgroups.length === 0 ? plan : { ...plan, cgroups }, signal === undefined ? {} : { signal });
}
