import { watch } from 'node:fs';

/** Calls `onChange` when an entry of `dir` changes; returns the function that stops watching. */
export type DirWatch = (dir: string, onChange: () => void) => () => void;

/** inotify through fs.watch; a directory that cannot be watched gives nothing (the caller's scan covers it). */
export const fsDirWatch: DirWatch = (dir, onChange) => {
  try {
    const watcher = watch(dir, { persistent: false }, () => onChange());
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
};
