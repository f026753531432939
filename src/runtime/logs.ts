import { isActive } from './container-state.js';
import { LogCursor } from './log-cursor.js';
import { logTimeMs, type LogRecord, type LogTime } from './log-record.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';

const FOLLOW_PAUSE_MS = 100;

export interface LogsOptions {
  /** Keep reading as the log grows, until the container stops running or the signal aborts (both end it quietly). */
  readonly follow?: boolean;
  /** Only the last N records already written (then, with follow, every new one). */
  readonly tail?: number;
  /** Only records at or after this time. */
  readonly since?: LogTime;
  /** Only records at or before this time; following ends at the first record after it. */
  readonly until?: LogTime;
  readonly signal?: AbortSignal;
}

/**
 * A container's log records, read from the lines its monitor writes (see parseLogLine). Times compare to the
 * millisecond. Print them with formatLogRecord (with or without timestamps).
 */
export async function* logs(ctx: RuntimeContext, ref: string, options: LogsOptions = {}): AsyncGenerator<LogRecord> {
  const since = options.since === undefined ? -Infinity : logTimeMs(options.since, 'since');
  const until = options.until === undefined ? Infinity : logTimeMs(options.until, 'until');
  const { id } = await ctx.store.find(ref);
  const paths = ctx.store.pathsOf(id);
  const cursor = new LogCursor(paths.logFile);
  const aborted = (): boolean => options.signal?.aborted === true;
  const inRange = (r: LogRecord): boolean => Date.parse(r.time) >= since && Date.parse(r.time) <= until;

  const first = (await cursor.next()).filter(inRange);
  const tail = options.tail === undefined ? first : first.slice(Math.max(0, first.length - Math.max(0, options.tail)));
  yield* tail;
  if (options.follow !== true) return;

  const ticker = ctx.tickers(paths.dir);
  try {
    for (;;) {
      const current = await ctx.store.read(id);
      const running = current !== undefined && isActive((await observe(ctx, current)).status);
      for (const record of await cursor.next()) {
        if (Date.parse(record.time) > until) return;
        if (inRange(record)) yield record;
      }
      if (!running || aborted()) return;
      try {
        await ticker.tick(FOLLOW_PAUSE_MS, options.signal);
      } catch (err) {
        if (aborted()) return;
        throw err;
      }
    }
  } finally {
    ticker.close();
  }
}
