import { watch } from 'node:fs';

/**
 * Calls `onChange` when an entry of `dir` changes, or only when `wakesOn` (given the entry's name)
 * says the change counts; returns the function that stops watching.
 */
export type DirWatch = (dir: string, onChange: () => void, wakesOn?: (entry: string) => boolean) => () => void;

/**
 * inotify through fs.watch. A change without a name (an inotify overflow) always counts: one look too
 * many is harmless. A directory that cannot be watched gives nothing (the caller's scan or timeout
 * covers it).
 */
export const fsDirWatch: DirWatch = (dir, onChange, wakesOn) => {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, entry) => {
      if (wakesOn === undefined || entry === null || wakesOn(entry)) onChange();
    });
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
};
