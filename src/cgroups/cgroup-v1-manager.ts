import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { exists, makeCgroupDir, readControl, readKeyed, readNumber, writeControl } from './cgroup-files.js';
import { realCgroupHost } from './cgroup-host.js';
import { checkCgroupLimits, type CgroupLimits } from './cgroup-limits.js';
import type { CgroupHost, CgroupManager, CgroupStats } from './cgroup-manager.js';
import { DEFAULT_CGROUP_PARENT, cgroupPath } from './cgroup-path.js';
import { killTasks, removeDirs, tasksOf, untilFrozen } from './cgroup-teardown.js';
import { v1LimitFiles } from './limit-files.js';

/** The v1 controllers a container gets a cgroup in, when their hierarchy is mounted. */
export const V1_CONTROLLERS = ['memory', 'cpu', 'cpuacct', 'cpuset', 'pids', 'freezer'] as const;
export type V1Controller = (typeof V1_CONTROLLERS)[number];

export interface CgroupV1Options {
  /** The mount point of each controller's hierarchy (co-mounted controllers share one), as detection found them. */
  readonly mounts: Readonly<Partial<Record<V1Controller, string>>>;
  /** Default `tscompose`. */
  readonly parent?: string;
  readonly host?: CgroupHost;
}

/** cgroup v1: one directory per container in each controller's hierarchy, `<mount>/<parent>/<name>`. */
export class CgroupV1Manager implements CgroupManager {
  readonly kind = 'v1';
  private readonly mounts: Readonly<Partial<Record<V1Controller, string>>>;
  readonly parent: string;
  private readonly host: CgroupHost;

  constructor(options: CgroupV1Options) {
    this.mounts = options.mounts;
    this.parent = options.parent ?? DEFAULT_CGROUP_PARENT;
    this.host = options.host ?? realCgroupHost;
  }

  /** The hierarchies in use, each once. */
  private hierarchies(): string[] {
    return [...new Set(V1_CONTROLLERS.flatMap((c) => this.mounts[c] ?? []))];
  }

  private dirs(name: string, parent: string): string[] {
    const path = cgroupPath(parent, name);
    return this.hierarchies().map((m) => join(m, path));
  }

  private dirOf(controller: V1Controller, name: string, parent: string): string | undefined {
    const mount = this.mounts[controller];
    return mount === undefined ? undefined : join(mount, cgroupPath(parent, name));
  }

  async create(name: string, limits: CgroupLimits, parent = this.parent): Promise<readonly string[]> {
    checkCgroupLimits(limits);
    const subject = cgroupPath(parent, name);
    const files = v1LimitFiles(limits);
    for (const f of files) {
      if (this.mounts[f.controller] === undefined) {
        throw new TscError('KERNEL', `cgroup \`${subject}\`: ${f.file} needs the ${f.controller} controller, which is not mounted`, {
          hint: `mount the cgroup v1 ${f.controller} hierarchy under /sys/fs/cgroup, or drop the limit`,
        });
      }
    }
    await this.remove(name, parent);
    try {
      for (const mount of this.hierarchies()) {
        const parentDir = join(mount, parent);
        const dir = join(mount, subject);
        const cpuset = mount === this.mounts.cpuset;
        await makeCgroupDir(parentDir, dir, subject, () => (cpuset ? inheritCpuset(mount, parentDir, subject) : Promise.resolve()));
        if (cpuset) await inheritCpuset(parentDir, dir, subject);
      }
      for (const f of files) await writeControl(this.dirOf(f.controller, name, parent) ?? '', f.file, f.value, subject);
    } catch (err) {
      await this.remove(name, parent).catch(() => undefined);
      throw err;
    }
    return this.dirs(name, parent);
  }

  async stats(name: string, parent = this.parent): Promise<CgroupStats | undefined> {
    const existing = await Promise.all(this.dirs(name, parent).map(exists));
    if (!existing.some(Boolean)) return undefined;
    const memory = this.dirOf('memory', name, parent);
    const cpuacct = this.dirOf('cpuacct', name, parent);
    const pids = this.dirOf('pids', name, parent);
    return {
      memoryBytes: memory === undefined ? 0 : await readNumber(memory, 'memory.usage_in_bytes'),
      cpuNanos: cpuacct === undefined ? 0 : await readNumber(cpuacct, 'cpuacct.usage'),
      pids: pids === undefined ? 0 : await readNumber(pids, 'pids.current'),
      oomKills: memory === undefined ? 0 : await oomKills(memory),
    };
  }

  private freezer(name: string, parent: string): string {
    const dir = this.dirOf('freezer', name, parent);
    if (dir === undefined) {
      throw new TscError('KERNEL', `cgroup \`${cgroupPath(parent, name)}\`: the freezer controller is not mounted`, {
        hint: 'mount the cgroup v1 freezer hierarchy under /sys/fs/cgroup to pause containers',
      });
    }
    return dir;
  }

  async freeze(name: string, parent = this.parent): Promise<void> {
    const subject = cgroupPath(parent, name);
    const dir = this.freezer(name, parent);
    await writeControl(dir, 'freezer.state', 'FROZEN', subject);
    await untilFrozen(async () => (await readControl(dir, 'freezer.state'))?.trim() === 'FROZEN', this.host, subject);
  }

  async thaw(name: string, parent = this.parent): Promise<void> {
    await writeControl(this.freezer(name, parent), 'freezer.state', 'THAWED', cgroupPath(parent, name));
  }

  async remove(name: string, parent = this.parent): Promise<void> {
    const subject = cgroupPath(parent, name);
    const dirs = this.dirs(name, parent);
    if (!(await Promise.all(dirs.map(exists))).some(Boolean)) return;
    // Frozen first, so nothing forks while it is killed; SIGKILL takes effect once thawed.
    const freezer = this.dirOf('freezer', name, parent);
    const frozen = freezer !== undefined && (await exists(freezer)) && (await this.freeze(name, parent).then(() => true, () => false));
    if (frozen) {
      for (const pid of await tasksOf(dirs)) this.host.kill(pid);
      await this.thaw(name, parent);
    }
    await killTasks(dirs, this.host, subject);
    await removeDirs(dirs, this.host, subject);
  }
}

/** A new cpuset cgroup starts with no CPUs and no memory nodes: it gets its parent's, or nothing can join it. */
async function inheritCpuset(from: string, to: string, subject: string): Promise<void> {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if ((await readControl(to, file) ?? '').trim() !== '') continue;
    await writeControl(to, file, (await readControl(from, file) ?? '').trim(), subject);
  }
}

/** The OOM kills `memory.oom_control` counts (Linux 4.13); before that, whether the limit was ever hit. */
async function oomKills(dir: string): Promise<number> {
  const kills = (await readKeyed(dir, 'memory.oom_control')).get('oom_kill');
  if (kills !== undefined) return kills;
  return (await readNumber(dir, 'memory.failcnt')) > 0 ? 1 : 0;
}
