import { watch, type FSWatcher } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseEvent, type ContainerEvent } from './events-log.js';

export interface FollowOptions {
  /** Keep reading as the log grows; otherwise stop at its end. */
  readonly follow: boolean;
  /** Only events at or after this time (ms); default: those written from now on when following, all otherwise. */
  readonly sinceMs?: number;
  /** Only events up to this time (ms); following stops once the log is read to its end and the clock has passed it. */
  readonly untilMs?: number;
  /** Only events of these services (none: all). */
  readonly services?: readonly string[];
  readonly signal?: AbortSignal;
  readonly now: () => number;
}

/** The events of a log file, in the order they were written; with `follow`, as they come (inotify, with a slow look as a fallback). */
export async function* followEvents(path: string, options: FollowOptions): AsyncGenerator<ContainerEvent> {
  await mkdir(dirname(path), { recursive: true });
  const wanted = (e: ContainerEvent): boolean => options.services === undefined || options.services.length === 0 || options.services.includes(e.service);
  const since = options.sinceMs ?? (options.follow ? options.now() : -Infinity);
  let wake: (() => void) | undefined;
  let changed = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: true }, (_event, name) => {
      if (name !== null && name !== basename(path)) return;
      changed = true;
      wake?.();
    });
  } catch {
    watcher = undefined;
  }
  const onAbort = (): void => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  let offset = 0;
  let pending = '';
  try {
    for (;;) {
      const chunk = await readFrom(path, offset);
      offset += chunk.length;
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const event = parseEvent(line);
        if (event === undefined) continue;
        const time = Date.parse(event.time);
        // Lines are in the order they were written, not strictly by time (a death carries the time it
        // happened): one past `until` is skipped, and reading goes on to the end.
        if (options.untilMs !== undefined && time > options.untilMs) continue;
        if (time >= since && wanted(event)) yield event;
      }
      if (!options.follow || options.signal?.aborted === true) return;
      if (options.untilMs !== undefined && options.now() > options.untilMs) return;
      if (chunk.length > 0) continue;
      if (!changed) {
        const wait = options.untilMs === undefined ? 1_000 : Math.max(1, Math.min(1_000, options.untilMs - options.now() + 1));
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => resolve(), wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      changed = false;
    }
  } finally {
    watcher?.close();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
  try {
    const { size } = await handle.stat();
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
