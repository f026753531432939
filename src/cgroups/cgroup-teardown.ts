import { dirname } from 'node:path';
import { TscError } from '../errors/index.js';
import { cgroupError, readPids } from './cgroup-files.js';
import type { CgroupHost } from './cgroup-manager.js';

/** How often and how many times teardown looks again: 10 ms, for 5 s at most. */
export const POLL_MS = 10;
export const POLLS = 500;

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** Every pid in the `cgroup.procs` of these directories, once each. */
export async function tasksOf(dirs: readonly string[]): Promise<number[]> {
  return [...new Set((await Promise.all(dirs.map(readPids))).flat())];
}

/** Kills what is in the cgroups until none is left (new forks included); throws when some survive 5 s. */
export async function killTasks(dirs: readonly string[], host: CgroupHost, subject: string): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    const pids = await tasksOf(dirs);
    if (pids.length === 0) return;
    for (const pid of pids) host.kill(pid);
    await host.sleep(POLL_MS);
  }
  throw new TscError('TIMEOUT', `cgroup \`${subject}\`: tasks ${(await tasksOf(dirs)).join(', ')} still there 5 s after SIGKILL`, {
    hint: 'a task may be stuck in the kernel (state D): look at /proc/<pid>/stack and `dmesg`, then remove the container again',
  });
}

/** Removes empty cgroup directories, retrying while the kernel still counts exiting tasks (EBUSY). */
export async function removeDirs(dirs: readonly string[], host: CgroupHost, subject: string): Promise<void> {
  for (const dir of dirs) {
    for (let i = 0; ; i++) {
      try {
        await host.removeDir(dir);
        break;
      } catch (err) {
        if (code(err) === 'ENOENT') break;
        if (code(err) !== 'EBUSY' || i >= POLLS) throw cgroupError(subject, `remove ${dir}`, err);
        await host.sleep(POLL_MS);
      }
    }
  }
  // The shared parents go with their last container; one another container still uses stays.
  for (const parent of new Set(dirs.map((d) => dirname(d)))) {
    await host.removeDir(parent).catch((err: unknown) => {
      if (!['ENOENT', 'ENOTEMPTY', 'EBUSY', 'EEXIST'].includes(code(err) ?? '')) throw cgroupError(subject, `remove ${parent}`, err);
    });
  }
}

/**
 * Waits until the cgroup reports frozen after a freeze was asked for (v1's freezer.state, v2's
 * cgroup.events); a freeze that does not settle in time is a TIMEOUT.
 */
export async function untilFrozen(isFrozen: () => Promise<boolean>, host: Pick<CgroupHost, 'sleep'>, subject: string): Promise<void> {
  for (let i = 0; i < POLLS; i++) {
    if (await isFrozen()) return;
    await host.sleep(POLL_MS);
  }
  throw new TscError('TIMEOUT', `cgroup \`${subject}\`: not frozen after 5 s`, { hint: 'a task may be stuck in the kernel; look at `dmesg`' });
}
