import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';

const code = (err: unknown): string | undefined => (err as NodeJS.ErrnoException).code;

/** A failed cgroup file operation as a TscError naming the cgroup (`subject`) and what was done. */
export function cgroupError(subject: string, what: string, err: unknown): TscError {
  const errno = code(err);
  const denied = errno === 'EPERM' || errno === 'EACCES';
  return new TscError(denied ? 'KERNEL_EPERM' : 'KERNEL', `cgroup \`${subject}\`: ${what}: ${errno ?? String(err)}`, {
    hint: denied
      ? 'managing cgroups needs root and a writable /sys/fs/cgroup (a container may mount it read-only)'
      : 'look at the cgroup under /sys/fs/cgroup and at `dmesg`; a value the kernel refuses (EINVAL) may be out of its range',
    cause: err,
  });
}

/** The text of a control file, or undefined when it does not exist. */
export async function readControl(dir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, file), 'utf8');
  } catch (err) {
    if (code(err) === 'ENOENT' || code(err) === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** A control file holding one number (`memory.current`, `pids.current`, ...); 0 when it is missing. */
export async function readNumber(dir: string, file: string): Promise<number> {
  const text = await readControl(dir, file);
  const value = text === undefined ? NaN : Number(text.trim());
  return Number.isFinite(value) ? value : 0;
}

/** A `key value` per line control file (`memory.events`, `cpu.stat`, `memory.oom_control`) as numbers. */
export async function readKeyed(dir: string, file: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const line of (await readControl(dir, file) ?? '').split('\n')) {
    const [key, value] = line.trim().split(/\s+/);
    if (key !== undefined && key !== '' && value !== undefined) out.set(key, Number(value));
  }
  return out;
}

/** The pids in a cgroup's `cgroup.procs` (none when it is gone). */
export async function readPids(dir: string): Promise<number[]> {
  const text = await readControl(dir, 'cgroup.procs');
  return (text ?? '').split('\n').filter((l) => /^\d+$/.test(l.trim())).map(Number);
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false);
}

/**
 * Writes one value into a control file. A file that is not there means its controller is not
 * available in this cgroup, which is said as such.
 */
export async function writeControl(dir: string, file: string, value: string, subject: string): Promise<void> {
  try {
    await writeFile(join(dir, file), value);
  } catch (err) {
    if (!(await exists(join(dir, file))) && (await exists(dir))) {
      throw new TscError('KERNEL', `cgroup \`${subject}\`: ${file} is missing: its controller is not available here`, {
        hint: `enable the ${file.split('.')[0] ?? ''} controller for cgroups (mount its v1 hierarchy, or list it in the parent's cgroup.subtree_control on v2), or drop the limit`,
        cause: err,
      });
    }
    throw cgroupError(subject, `write \`${value}\` to ${file}`, err);
  }
}

/**
 * Makes a container's cgroup directory `dir` in the shared `parent`: the parent first (then `setup`
 * prepares it), and again if another container's removal took the parent away in between.
 */
export async function makeCgroupDir(parent: string, dir: string, subject: string, setup: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await mkdir(parent);
    } catch (err) {
      if (code(err) !== 'EEXIST') throw cgroupError(subject, `create ${parent}`, err);
    }
    await setup();
    try {
      await mkdir(dir);
      return;
    } catch (err) {
      if (code(err) === 'EEXIST') return;
      if (code(err) !== 'ENOENT' || attempt >= 2) throw cgroupError(subject, `create ${dir}`, err);
    }
  }
}
