import type { ExitStatus, Kernel } from '../kernel/kernel.js';
import type { ContainerRecord } from './container-record.js';
import { isActive } from './container-state.js';
import { nowIso, type RuntimeContext } from './runtime-context.js';

/** The exit status the runtime records when the monitor died without writing one (as Docker's 255). */
export const LOST_EXIT_CODE = 255;

async function exitOf(kernel: Kernel, exitFile: string, record: ContainerRecord): Promise<ExitStatus | undefined> {
  const exit = await kernel.readExit(exitFile);
  const ref = record.container;
  // An exit file of an earlier run (not removed by a crash) does not count.
  return exit !== undefined && ref !== undefined && exit.pid === ref.pid && exit.startTime === ref.startTime ? exit : undefined;
}

/**
 * The record as things are now. A container recorded as running whose monitor wrote an exit status has
 * exited with it; one whose processes are both gone without one has exited with {@link LOST_EXIT_CODE}.
 * Nothing is written: the verbs that hold the container's lock persist what they observe.
 */
export async function observe(ctx: Pick<RuntimeContext, 'kernel' | 'store' | 'clock'>, record: ContainerRecord): Promise<ContainerRecord> {
  if (!isActive(record.status) || record.container === undefined) return record;
  const { exitFile } = ctx.store.pathsOf(record.id);
  const exited = (exit: ExitStatus, error?: string): ContainerRecord => {
    const { error: _previous, ...rest } = record;
    return { ...rest, status: 'exited', exit, finishedAt: exit.time, ...(error === undefined ? {} : { error }) };
  };
  const exit = await exitOf(ctx.kernel, exitFile, record);
  if (exit !== undefined) return exited(exit);
  const alive = await Promise.all([record.container, record.monitor].map((ref) => (ref === undefined ? false : ctx.kernel.processAlive(ref))));
  if (alive.some(Boolean)) return record;
  // The monitor may have written the file and gone between the two looks.
  const late = await exitOf(ctx.kernel, exitFile, record);
  if (late !== undefined) return exited(late);
  const time = nowIso(ctx);
  return exited(
    { pid: record.container.pid, startTime: record.container.startTime, exitCode: LOST_EXIT_CODE, signal: null, coreDumped: false, time },
    'the container monitor ended without recording an exit status',
  );
}
