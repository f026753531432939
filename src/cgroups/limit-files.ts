import { CFS_PERIOD_US, cpuQuotaUs, sharesToWeight, type CgroupLimits } from './cgroup-limits.js';

/** One value to write into a control file of a container's cgroup, in the order given. */
export interface LimitFile {
  /** The controller that owns the file (on cgroup v1, the hierarchy it lives in). */
  readonly controller: 'memory' | 'cpu' | 'cpuset' | 'pids';
  readonly file: string;
  readonly value: string;
}

/** The cgroup v1 files for the limits. memory.memsw.limit_in_bytes comes after memory.limit_in_bytes (it may not be lower). */
export function v1LimitFiles(limits: CgroupLimits): LimitFile[] {
  const out: LimitFile[] = [];
  if (limits.memoryBytes !== undefined) out.push({ controller: 'memory', file: 'memory.limit_in_bytes', value: String(limits.memoryBytes) });
  if (limits.memorySwapBytes !== undefined) {
    const value = limits.memorySwapBytes === 'unlimited' ? '-1' : String(limits.memorySwapBytes);
    out.push({ controller: 'memory', file: 'memory.memsw.limit_in_bytes', value });
  }
  if (limits.cpus !== undefined) {
    out.push({ controller: 'cpu', file: 'cpu.cfs_period_us', value: String(CFS_PERIOD_US) });
    out.push({ controller: 'cpu', file: 'cpu.cfs_quota_us', value: String(cpuQuotaUs(limits.cpus)) });
  }
  if (limits.cpuShares !== undefined) out.push({ controller: 'cpu', file: 'cpu.shares', value: String(limits.cpuShares) });
  if (limits.cpuset !== undefined) out.push({ controller: 'cpuset', file: 'cpuset.cpus', value: limits.cpuset });
  if (limits.pids !== undefined) out.push({ controller: 'pids', file: 'pids.max', value: limits.pids === 'unlimited' ? 'max' : String(limits.pids) });
  return out;
}

/** The cgroup v2 files for the limits: swap is counted apart from memory, and shares become a weight. */
export function v2LimitFiles(limits: CgroupLimits): LimitFile[] {
  const out: LimitFile[] = [];
  const { memoryBytes: memory, memorySwapBytes: swap } = limits;
  if (memory !== undefined) out.push({ controller: 'memory', file: 'memory.max', value: String(memory) });
  if (swap !== undefined && memory !== undefined) {
    out.push({ controller: 'memory', file: 'memory.swap.max', value: swap === 'unlimited' ? 'max' : String(swap - memory) });
  }
  if (limits.cpus !== undefined) out.push({ controller: 'cpu', file: 'cpu.max', value: `${cpuQuotaUs(limits.cpus)} ${CFS_PERIOD_US}` });
  if (limits.cpuShares !== undefined) out.push({ controller: 'cpu', file: 'cpu.weight', value: String(sharesToWeight(limits.cpuShares)) });
  if (limits.cpuset !== undefined) out.push({ controller: 'cpuset', file: 'cpuset.cpus', value: limits.cpuset });
  if (limits.pids !== undefined) out.push({ controller: 'pids', file: 'pids.max', value: limits.pids === 'unlimited' ? 'max' : String(limits.pids) });
  return out;
}
