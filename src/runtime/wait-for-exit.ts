import type { ContainerRecord } from './container-record.js';
import { isActive } from './container-state.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';
import { notTheLog } from './ticker.js';

/** The first pause between looks, doubled up to {@link MAX_PAUSE_MS}; inotify cuts pauses short. */
const FIRST_PAUSE_MS = 5;
const MAX_PAUSE_MS = 100;

export interface ExitWaitOptions {
  /** Give up after this long; default never. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * Watches a running container until it is no longer running, and returns the record as observed then
 * (with its exit status); undefined when the timeout passes first. Each look reads the exit file and,
 * without one, whether the container and monitor processes live.
 */
export async function waitUntilExited(ctx: RuntimeContext, record: ContainerRecord, options: ExitWaitOptions = {}): Promise<ContainerRecord | undefined> {
  const deadline = options.timeoutMs === undefined ? Infinity : ctx.clock.monotonic() + options.timeoutMs;
  const ticker = ctx.tickers(ctx.store.pathsOf(record.id).dir, notTheLog);
  try {
    let pause = FIRST_PAUSE_MS;
    for (;;) {
      const seen = await observe(ctx, record);
      if (!isActive(seen.status)) return seen;
      const left = deadline - ctx.clock.monotonic();
      if (left <= 0) return undefined;
      await ticker.tick(Math.min(pause, left), options.signal);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  } finally {
    ticker.close();
  }
}
