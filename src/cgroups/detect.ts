import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupHost, CgroupManager } from './cgroup-manager.js';
import { CgroupV1Manager, V1_CONTROLLERS, type V1Controller } from './cgroup-v1-manager.js';
import { CgroupV2Manager } from './cgroup-v2-manager.js';
import { NullCgroupManager } from './null-cgroup-manager.js';

/** Where the cgroup hierarchies are mounted: each v1 controller's, and the unified (v2) one. */
export interface CgroupMounts {
  readonly v1: Partial<Record<V1Controller, string>>;
  readonly v2?: string;
}

/** mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`). */
const unescape = (path: string): string => path.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));

/** The cgroup mounts in the text of /proc/<pid>/mountinfo; the first mount of each wins. */
export function parseCgroupMounts(mountinfo: string): CgroupMounts {
  const v1: Partial<Record<V1Controller, string>> = {};
  let v2: string | undefined;
  for (const line of mountinfo.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    const mountPoint = fields[4];
    if (dash < 0 || mountPoint === undefined) continue;
    const [fsType, , superOptions = ''] = fields.slice(dash + 1);
    if (fsType === 'cgroup2') {
      v2 ??= unescape(mountPoint);
    } else if (fsType === 'cgroup') {
      const options = superOptions.split(',');
      for (const c of V1_CONTROLLERS) if (options.includes(c)) v1[c] ??= unescape(mountPoint);
    }
  }
  return v2 === undefined ? { v1 } : { v1, v2 };
}

export interface DetectOptions {
  /** Prefix of /proc and of every mount point; default `/` (tests use a temp dir). */
  readonly root?: string;
  /** The directory holding the containers' cgroups; default `tscompose`. */
  readonly parent?: string;
  readonly host?: CgroupHost;
}

/**
 * The manager for the cgroups this process sees: v1 when a v1 controller hierarchy is mounted (the
 * hybrid layout, whose unified hierarchy holds no controller of its own, included), v2 when only the
 * unified hierarchy is, and none otherwise.
 */
export function detectCgroupManager(options: DetectOptions = {}): CgroupManager {
  const root = options.root ?? '/';
  let text = '';
  try {
    text = readFileSync(join(root, 'proc/self/mountinfo'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const found = parseCgroupMounts(text);
  const extra = { ...(options.parent === undefined ? {} : { parent: options.parent }), ...(options.host === undefined ? {} : { host: options.host }) };
  const v1 = Object.fromEntries(Object.entries(found.v1).map(([c, m]) => [c, join(root, m)]));
  if (Object.keys(v1).length > 0) return new CgroupV1Manager({ mounts: v1, ...extra });
  if (found.v2 !== undefined) return new CgroupV2Manager({ root: join(root, found.v2), ...extra });
  return new NullCgroupManager();
}
