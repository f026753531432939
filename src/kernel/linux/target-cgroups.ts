import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A cgroup filesystem mounted on the host: where, which hierarchy (v2, or v1 with its options). */
export interface CgroupMount {
  readonly mountPoint: string;
  /** The path inside the hierarchy that is mounted there (`/` for the whole of it). */
  readonly root: string;
  readonly version: 1 | 2;
  /** v1: the super options (controllers and `name=`). */
  readonly options: readonly string[];
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** The cgroup mounts of /proc/<pid>/mountinfo. */
export function parseCgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const l of mountinfo.split('\n')) {
    const fields = l.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 0 || fields.length < dash + 4) continue;
    const type = fields[dash + 1];
    if (type !== 'cgroup' && type !== 'cgroup2') continue;
    out.push({
      mountPoint: unescape(fields[4] ?? ''),
      root: unescape(fields[3] ?? '/'),
      version: type === 'cgroup2' ? 2 : 1,
      options: (fields[dash + 3] ?? '').split(','),
    });
  }
  return out;
}

function inside(root: string, path: string): string | undefined {
  if (root === '/') return path;
  if (path === root) return '/';
  return path.startsWith(`${root}/`) ? path.slice(root.length) : undefined;
}

/**
 * The host directories of the cgroups a process is in, from its /proc/<pid>/cgroup and the host's cgroup
 * mounts: one per hierarchy that is mounted. A hierarchy not mounted here is left out.
 */
export function cgroupDirs(procCgroup: string, mounts: readonly CgroupMount[]): string[] {
  const dirs: string[] = [];
  for (const l of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(l);
    if (m === null) continue;
    const [, number, controllers, path] = m as unknown as [string, string, string, string];
    const wanted = controllers === '' ? [] : controllers.split(',');
    const candidates = number === '0' && controllers === ''
      ? mounts.filter((x) => x.version === 2)
      : mounts.filter((x) => x.version === 1 && wanted.length > 0 && wanted.every((c) => x.options.includes(c)));
    for (const mount of candidates) {
      const rel = inside(mount.root, path);
      if (rel === undefined) continue;
      dirs.push(join(mount.mountPoint, rel));
      break;
    }
  }
  return dirs;
}

/** The cgroup directories process `pid` is in now, as this process sees the host's mounts. */
export async function readCgroupDirs(procRoot: string, pid: number): Promise<string[]> {
  const [own, target] = await Promise.all([
    readFile(join(procRoot, 'self/mountinfo'), 'utf8'),
    readFile(join(procRoot, String(pid), 'cgroup'), 'utf8'),
  ]);
  return cgroupDirs(target, parseCgroupMounts(own));
}
