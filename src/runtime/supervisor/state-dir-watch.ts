import { watch } from 'node:fs';
import { notTheLog } from '../ticker.js';
import type { DirWatch } from './dir-watch.js';

/**
 * inotify on a container's directory for changes of its state (the exit file renamed into place, the
 * record rewritten, the directory removed); its log growing does not count. A directory that cannot
 * be watched gives nothing.
 */
export const stateDirWatch: DirWatch = (dir, onChange) => {
  try {
    const watcher = watch(dir, { persistent: false }, (_event, entry) => {
      // No name (an inotify overflow): count it, one look too many is harmless.
      if (entry === null || notTheLog(entry)) onChange();
    });
    watcher.on('error', () => watcher.close());
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
};
