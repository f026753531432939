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
  private readonly parent: string;
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

  private dirs(name: string): string[] {
    const path = cgroupPath(this.parent, name);
    return this.hierarchies().map((m) => join(m, path));
  }

  private dirOf(controller: V1Controller, name: string): string | undefined {
    const mount = this.mounts[controller];
    return mount === undefined ? undefined : join(mount, cgroupPath(this.parent, name));
  }

  async create(name: string, limits: CgroupLimits): Promise<readonly string[]> {
    checkCgroupLimits(limits);
    const subject = cgroupPath(this.parent, name);
    const files = v1LimitFiles(limits);
    for (const f of files) {
      if (this.mounts[f.controller] === undefined) {
        throw new TscError('KERNEL', `cgroup \`${subject}\`: ${f.file} needs the ${f.controller} controller, which is not mounted`, {
          hint: `mount the cgroup v1 ${f.controller} hierarchy under /sys/fs/cgroup, or drop the limit`,
        });
      }
    }
    await this.remove(name);
    try {
      for (const mount of this.hierarchies()) {
        const parent = join(mount, this.parent);
        const dir = join(mount, subject);
        const cpuset = mount === this.mounts.cpuset;
        await makeCgroupDir(parent, dir, subject, () => (cpuset ? inheritCpuset(mount, parent, subject) : Promise.resolve()));
        if (cpuset) await inheritCpuset(parent, dir, subject);
      }
      for (const f of files) await writeControl(this.dirOf(f.controller, name) ?? '', f.file, f.value, subject);
    } catch (err) {
      await this.remove(name).catch(() => undefined);
      throw err;
    }
    return this.dirs(name);
  }

  async stats(name: string): Promise<CgroupStats | undefined> {
    const existing = await Promise.all(this.dirs(name).map(exists));
    if (!existing.some(Boolean)) return undefined;
    const memory = this.dirOf('memory', name);
    const cpuacct = this.dirOf('cpuacct', name);
    const pids = this.dirOf('pids', name);
    return {
      memoryBytes: memory === undefined ? 0 : await readNumber(memory, 'memory.usage_in_bytes'),
      cpuNanos: cpuacct === undefined ? 0 : await readNumber(cpuacct, 'cpuacct.usage'),
      pids: pids === undefined ? 0 : await readNumber(pids, 'pids.current'),
      oomKills: memory === undefined ? 0 : await oomKills(memory),
    };
  }

  private freezer(name: string): string {
    const dir = this.dirOf('freezer', name);
    if (dir === undefined) {
      throw new TscError('KERNEL', `cgroup \`${cgroupPath(this.parent, name)}\`: the freezer controller is not mounted`, {
        hint: 'mount the cgroup v1 freezer hierarchy under /sys/fs/cgroup to pause containers',
      });
    }
    return dir;
  }

  async freeze(name: string): Promise<void> {
    const subject = cgroupPath(this.parent, name);
    const dir = this.freezer(name);
    await writeControl(dir, 'freezer.state', 'FROZEN', subject);
    await untilFrozen(async () => (await readControl(dir, 'freezer.state'))?.trim() === 'FROZEN', this.host, subject);
  }

  async thaw(name: string): Promise<void> {
    await writeControl(this.freezer(name), 'freezer.state', 'THAWED', cgroupPath(this.parent, name));
  }

  async remove(name: string): Promise<void> {
    const subject = cgroupPath(this.parent, name);
    const dirs = this.dirs(name);
    if (!(await Promise.all(dirs.map(exists))).some(Boolean)) return;
    // Frozen first, so nothing forks while it is killed; SIGKILL takes effect once thawed.
    const freezer = this.dirOf('freezer', name);
    const frozen = freezer !== undefined && (await exists(freezer)) && (await this.freeze(name).then(() => true, () => false));
    if (frozen) {
      for (const pid of await tasksOf(dirs)) this.host.kill(pid);
      await this.thaw(name);
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
