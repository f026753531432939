import { TscError } from '../errors/index.js';
import { toInfo, type ContainerInfo } from './container-info.js';
import type { ContainerRecord } from './container-record.js';
import { checkVerb } from './container-state.js';
import { thawRecord } from './pause.js';
import type { RuntimeContext } from './runtime-context.js';
import { markRecordStoppedByUser } from './stop-intent.js';
import { waitUntilExited } from './wait-for-exit.js';
import { withContainer } from './with-container.js';

/** As Docker's: the time between the stop signal and SIGKILL when neither the call nor the spec sets one. */
export const DEFAULT_STOP_GRACE_MS = 10_000;

export interface StopOptions {
  /** Between the stop signal and SIGKILL; default the spec's stopGracePeriodMs, else 10 s. */
  readonly timeoutMs?: number;
  /**
   * The user asked for this stop: before the signal, the run is marked stopped on purpose so no restart
   * policy brings it back (see stop-intent.ts).
   */
  readonly byUser?: boolean;
}

/**
 * Sends a running container its stop signal and SIGKILL after the grace period, and records how it
 * ended. Holds the lock of a running container for `ctx`; a container that is not running is left as is.
 */
export async function stopRecord(ctx: RuntimeContext, observed: ContainerRecord, options: StopOptions = {}): Promise<ContainerRecord> {
  if (observed.container === undefined || checkVerb('stop', observed.name, observed.status) === 'noop') return observed;
  // A frozen process cannot act on its stop signal: a paused container is thawed first.
  const record = await thawRecord(ctx, observed);
  if (record.container === undefined) return record;
  const grace = options.timeoutMs ?? record.spec.stopGracePeriodMs ?? DEFAULT_STOP_GRACE_MS;
  if (grace > 0) await ctx.kernel.signal(record.container, record.spec.stopSignal ?? 'SIGTERM');
  const stopped = grace > 0 ? await waitUntilExited(ctx, record, { timeoutMs: grace }) : undefined;
  if (stopped !== undefined) return stopped;
  await ctx.kernel.signal(record.container, 'SIGKILL');
  const killed = await waitUntilExited(ctx, record, { timeoutMs: ctx.killTimeoutMs });
  if (killed !== undefined) return killed;
  throw new TscError('TIMEOUT', `stop \`${record.name}\`: still running ${ctx.killTimeoutMs} ms after SIGKILL`, {
    hint: 'the process may be stuck in the kernel (state D); look at `cat /proc/<pid>/stack` and `dmesg`',
  });
}

/** Stops a container (see {@link stopRecord}); stopping one that is not running does nothing. */
export async function stop(ctx: RuntimeContext, ref: string, options: StopOptions = {}): Promise<ContainerInfo> {
  return withContainer(ctx, ref, async (observed) => {
    const record = options.byUser === true ? await markRecordStoppedByUser(ctx, observed) : observed;
    const stopped = await stopRecord(ctx, record, options);
    await ctx.store.write(stopped);
    return toInfo(stopped, ctx.store.pathsOf(stopped.id));
  });
}
