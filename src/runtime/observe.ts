import type { ExitStatus } from '../kernel/kernel.js';
import type { ContainerRecord } from './container-record.js';
import { isActive } from './container-state.js';
import { nowIso, type RuntimeContext } from './runtime-context.js';

/** The exit status the runtime records when the monitor died without writing one (as Docker's 255). */
export const LOST_EXIT_CODE = 255;

type ObserveContext = Pick<RuntimeContext, 'kernel' | 'store' | 'clock' | 'cgroups'>;

async function exitOf(ctx: ObserveContext, exitFile: string, record: ContainerRecord): Promise<ExitStatus | undefined> {
  const exit = await ctx.kernel.readExit(exitFile);
  const ref = record.container;
  // An exit file of an earlier run (not removed by a crash) does not count.
  if (exit === undefined || ref === undefined || exit.pid !== ref.pid || exit.startTime !== ref.startTime) return undefined;
  return exit.signal === 'SIGKILL' && (await oomKilled(ctx, record.id, record.cgroupParent)) ? { ...exit, oomKilled: true } : exit;
}

/** Whether the kernel's OOM killer struck in the container's cgroup (made afresh at each start); false when unknown. */
async function oomKilled(ctx: ObserveContext, id: string, parent: string | undefined): Promise<boolean> {
  const stats = await ctx.cgroups.stats(id, parent).catch(() => undefined);
  return stats !== undefined && stats.oomKills > 0;
}

/**
 * The record as things are now. A container recorded as running whose monitor wrote an exit status has
 * exited with it; one whose processes are both gone without one has exited with {@link LOST_EXIT_CODE}.
 * Nothing is written: the verbs that hold the container's lock persist what they observe.
 */
export async function observe(ctx: ObserveContext, record: ContainerRecord): Promise<ContainerRecord> {
  if (!isActive(record.status) || record.container === undefined) return record;
  const { exitFile } = ctx.store.pathsOf(record.id);
  const exited = (exit: ExitStatus, error?: string): ContainerRecord => {
    const { error: _previous, ...rest } = record;
    return { ...rest, status: 'exited', exit, finishedAt: exit.time, ...(error === undefined ? {} : { error }) };
  };
  const exit = await exitOf(ctx, exitFile, record);
  if (exit !== undefined) return exited(exit);
  const alive = await Promise.all([record.container, record.monitor].map((ref) => (ref === undefined ? false : ctx.kernel.processAlive(ref))));
  if (alive.some(Boolean)) return record;
  // The monitor may have written the file and gone between the two looks.
  const late = await exitOf(ctx, exitFile, record);
  if (late !== undefined) return exited(late);
  const time = nowIso(ctx);
  return exited(
    { pid: record.container.pid, startTime: record.container.startTime, exitCode: LOST_EXIT_CODE, signal: null, coreDumped: false, time },
    'the container monitor ended without recording an exit status',
  );
}
