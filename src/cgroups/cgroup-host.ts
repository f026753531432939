import { rmdir } from 'node:fs/promises';
import type { CgroupHost } from './cgroup-manager.js';

/** The real effects: kill(2), rmdir(2) and a timer. */
export const realCgroupHost: CgroupHost = {
  kill(pid) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  },
  removeDir: (path) => rmdir(path),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
