import { checkCgroupLimits, type CgroupLimits } from '../../../src/cgroups/cgroup-limits.js';
import type { CgroupManager, CgroupStats } from '../../../src/cgroups/cgroup-manager.js';
import { TscError } from '../../../src/errors/index.js';

interface Cgroup {
  readonly limits: CgroupLimits;
  oomKills: number;
  frozen: boolean;
}

/**
 * One host's cgroups in memory, keyed `<parent>/<name>`, seen through managers set up with different
 * parents, as processes started with different settings would be. Each call is logged with the
 * parent it acted in; freezing, thawing or reading a cgroup that is not there finds nothing.
 */
export class CgroupTree {
  readonly calls: string[] = [];
  private readonly cgroups = new Map<string, Cgroup>();

  /** The cgroups that exist, as `<parent>/<last 4 digits of the name>`. */
  paths(): string[] {
    return [...this.cgroups.keys()].map((p) => p.slice(0, p.indexOf('/') + 1) + p.slice(-4)).sort();
  }

  /** The kernel's OOM killer strikes in `<parent>/<name>`. */
  oomKill(parent: string, name: string): void {
    const cgroup = this.cgroups.get(`${parent}/${name}`);
    if (cgroup === undefined) throw new Error(`no cgroup ${parent}/${name}`);
    cgroup.oomKills++;
  }

  isFrozen(parent: string, name: string): boolean | undefined {
    return this.cgroups.get(`${parent}/${name}`)?.frozen;
  }

  /** A manager whose own parent (for new containers, and for calls that name none) is `own`. */
  manager(own: string): CgroupManager {
    const log = (verb: string, parent: string, name: string): string => {
      this.calls.push(`${verb} ${parent}/${name.slice(-4)}`);
      return `${parent}/${name}`;
    };
    const existing = (verb: string, parent: string, name: string): Cgroup => {
      const cgroup = this.cgroups.get(log(verb, parent, name));
      if (cgroup === undefined) throw new TscError('KERNEL', `cgroup \`${parent}/${name}\`: ${verb}: ENOENT`);
      return cgroup;
    };
    return {
      kind: 'v2',
      parent: own,
      create: async (name: string, limits: CgroupLimits, parent = own): Promise<readonly string[]> => {
        checkCgroupLimits(limits);
        this.cgroups.set(log('create', parent, name), { limits, oomKills: 0, frozen: false });
        return [`/cg/${parent}/${name}`];
      },
      stats: async (name: string, parent = own): Promise<CgroupStats | undefined> => {
        const cgroup = this.cgroups.get(log('stats', parent, name));
        return cgroup === undefined ? undefined : { memoryBytes: 4096, cpuNanos: 1000, pids: 1, oomKills: cgroup.oomKills };
      },
      freeze: async (name: string, parent = own): Promise<void> => {
        existing('freeze', parent, name).frozen = true;
      },
      thaw: async (name: string, parent = own): Promise<void> => {
        existing('thaw', parent, name).frozen = false;
      },
      remove: async (name: string, parent = own): Promise<void> => {
        this.cgroups.delete(log('remove', parent, name));
      },
    };
  }
}
