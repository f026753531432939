import { join } from 'node:path';
import { exists, makeCgroupDir, readControl, readKeyed, readNumber, writeControl } from './cgroup-files.js';
import { realCgroupHost } from './cgroup-host.js';
import { checkCgroupLimits, type CgroupLimits } from './cgroup-limits.js';
import type { CgroupHost, CgroupManager, CgroupStats } from './cgroup-manager.js';
import { DEFAULT_CGROUP_PARENT, cgroupPath } from './cgroup-path.js';
import { killTasks, removeDirs, untilFrozen } from './cgroup-teardown.js';
import { v2LimitFiles } from './limit-files.js';

/** The controllers a container's cgroup gets, when the kernel offers them. */
const CONTROLLERS = ['cpu', 'cpuset', 'memory', 'pids'];

export interface CgroupV2Options {
  /** Where the unified hierarchy is mounted, e.g. /sys/fs/cgroup. */
  readonly root: string;
  /** Default `tscompose`. */
  readonly parent?: string;
  readonly host?: CgroupHost;
}

/** cgroup v2: one directory per container in the unified hierarchy, `<root>/<parent>/<name>`. */
export class CgroupV2Manager implements CgroupManager {
  readonly kind = 'v2';
  private readonly root: string;
  readonly parent: string;
  private readonly host: CgroupHost;

  constructor(options: CgroupV2Options) {
    this.root = options.root;
    this.parent = options.parent ?? DEFAULT_CGROUP_PARENT;
    this.host = options.host ?? realCgroupHost;
  }

  private dirOf(name: string, parent: string): string {
    return join(this.root, cgroupPath(parent, name));
  }

  async create(name: string, limits: CgroupLimits, parent = this.parent): Promise<readonly string[]> {
    checkCgroupLimits(limits);
    const subject = cgroupPath(parent, name);
    const dir = this.dirOf(name, parent);
    await this.remove(name, parent);
    try {
      await this.delegate(this.root, subject);
      const parentDir = join(this.root, parent);
      await makeCgroupDir(parentDir, dir, subject, () => this.delegate(parentDir, subject));
      for (const f of v2LimitFiles(limits)) await writeControl(dir, f.file, f.value, subject);
    } catch (err) {
      await this.remove(name, parent).catch(() => undefined);
      throw err;
    }
    return [dir];
  }

  /** Lets the children of `dir` use the container controllers the kernel offers (cgroup.subtree_control). */
  private async delegate(dir: string, subject: string): Promise<void> {
    const words = (text: string | undefined): string[] => (text ?? '').split(/\s+/).filter((w) => w !== '').map((w) => w.replace(/^\+/, ''));
    const offered = words(await readControl(this.root, 'cgroup.controllers'));
    const enabled = new Set(words(await readControl(dir, 'cgroup.subtree_control')));
    const missing = CONTROLLERS.filter((c) => offered.includes(c) && !enabled.has(c));
    if (missing.length > 0) await writeControl(dir, 'cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '), subject);
  }

  async stats(name: string, parent = this.parent): Promise<CgroupStats | undefined> {
    const dir = this.dirOf(name, parent);
    if (!(await exists(dir))) return undefined;
    return {
      memoryBytes: await readNumber(dir, 'memory.current'),
      cpuNanos: ((await readKeyed(dir, 'cpu.stat')).get('usage_usec') ?? 0) * 1000,
      pids: await readNumber(dir, 'pids.current'),
      oomKills: (await readKeyed(dir, 'memory.events')).get('oom_kill') ?? 0,
    };
  }

  async freeze(name: string, parent = this.parent): Promise<void> {
    const subject = cgroupPath(parent, name);
    const dir = this.dirOf(name, parent);
    await writeControl(dir, 'cgroup.freeze', '1', subject);
    await untilFrozen(async () => (await readKeyed(dir, 'cgroup.events')).get('frozen') === 1, this.host, subject);
  }

  async thaw(name: string, parent = this.parent): Promise<void> {
    await writeControl(this.dirOf(name, parent), 'cgroup.freeze', '0', cgroupPath(parent, name));
  }

  async remove(name: string, parent = this.parent): Promise<void> {
    const subject = cgroupPath(parent, name);
    const dir = this.dirOf(name, parent);
    if (!(await exists(dir))) return;
    // cgroup.kill (Linux 5.14) kills every task at once, forks racing it included.
    if (await exists(join(dir, 'cgroup.kill'))) await writeControl(dir, 'cgroup.kill', '1', subject);
    await killTasks([dir], this.host, subject);
    await removeDirs([dir], this.host, subject);
  }
}
