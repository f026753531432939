import { checkCgroupLimits, type CgroupLimits } from '../../../src/cgroups/cgroup-limits.js';
import type { CgroupManager, CgroupStats } from '../../../src/cgroups/cgroup-manager.js';

/** Cgroups in memory: records what the runtime asks for, and counts OOM kills when a test says so. */
export class FakeCgroups implements CgroupManager {
  readonly kind = 'v2';
  readonly calls: string[] = [];
  readonly live = new Map<string, { limits: CgroupLimits; oomKills: number }>();
  private failure: Error | undefined;

  /** The next create() fails with this error. */
  failNextCreate(error: Error): void {
    this.failure = error;
  }

  /** The kernel's OOM killer strikes in the cgroup. */
  oomKill(name: string): void {
    const cgroup = this.live.get(name);
    if (cgroup !== undefined) cgroup.oomKills++;
  }

  async create(name: string, limits: CgroupLimits): Promise<readonly string[]> {
    this.calls.push(`create ${name.slice(0, 4)} ${JSON.stringify(limits)}`);
    checkCgroupLimits(limits);
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
    this.live.set(name, { limits, oomKills: 0 });
    return [`/cg/v2/tscompose/${name}`];
  }

  async stats(name: string): Promise<CgroupStats | undefined> {
    const cgroup = this.live.get(name);
    return cgroup === undefined ? undefined : { memoryBytes: 4096, cpuNanos: 1000, pids: 1, oomKills: cgroup.oomKills };
  }

  async freeze(): Promise<void> {}

  async thaw(): Promise<void> {}

  async remove(name: string): Promise<void> {
    this.calls.push(`remove ${name.slice(0, 4)}`);
    this.live.delete(name);
  }
}
