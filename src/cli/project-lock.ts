import { TscError } from '../errors/index.js';
import { FileLock } from '../state/lock.js';
import type { StatePaths } from '../state/paths.js';

/**
 * Runs `work` holding the project's lock, so commands that change one project (`up`, `down`,
 * `start`, `stop`, `rm`, ...) run one after another. A second command waits for the first rather
 * than failing, and says so once; a lock left by a process that died is taken over.
 */
export async function withProjectLock<T>(paths: StatePaths, project: string, work: () => Promise<T>, notify: (line: string) => void = (l) => process.stderr.write(l)): Promise<T> {
  const lock = FileLock.forCurrentProcess(paths.projectLock(project));
  try {
    await lock.acquire({ timeoutMs: 0 });
  } catch (err) {
    if (!(err instanceof TscError) || err.code !== 'LOCKED') throw err;
    notify(`waiting for another tscompose on project ${project}\n`);
    await lock.acquire({ timeoutMs: Number.POSITIVE_INFINITY, pollMs: 25 });
  }
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
