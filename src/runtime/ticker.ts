import { fsDirWatch } from '../util/dir-watch.js';

/** Resolves after `ms`; rejects with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The pause between two looks at a container: a timeout, cut short when something changes. */
export interface Ticker {
  tick(ms: number, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * Makes the ticker for one container directory; `wakesOn` picks the entries whose changes count
 * (default: all of them).
 */
export type TickerFactory = (dir: string, wakesOn?: (entry: string) => boolean) => Ticker;

/** For waits on a container's state: its log growing is no reason to look again. */
export const notTheLog = (entry: string): boolean => !entry.startsWith('container.log');

/** A ticker that only sleeps: for a fake clock, or where nothing can be watched. */
export function sleepingTickers(sleep: Sleep): TickerFactory {
  return () => ({ tick: (ms, signal) => sleep(ms, signal), close: () => undefined });
}

/**
 * A ticker that also wakes when an entry of `dir` changes (inotify): the monitor renaming the exit file
 * into place, or appending to the log, ends the wait at once. Without the directory, it only sleeps.
 */
export function watchingTicker(dir: string, wakesOn?: (entry: string) => boolean): Ticker {
  let changed = false;
  let wake: (() => void) | undefined;
  const unwatch = fsDirWatch(dir, () => {
    changed = true;
    wake?.();
  }, wakesOn);
  return {
    tick(ms, signal) {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      if (changed) {
        changed = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve, reject) => {
        const finish = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          wake = undefined;
          changed = false;
        };
        const onAbort = (): void => {
          finish();
          reject(signal?.reason);
        };
        const timer = setTimeout(() => (finish(), resolve()), ms);
        wake = () => (finish(), resolve());
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    close() {
      unwatch();
      wake?.();
    },
  };
}
