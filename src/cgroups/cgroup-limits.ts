import { TscError } from '../errors/index.js';

/**
 * The resource limits of one container, as `docker run` takes them. Every field is optional; an absent
 * one leaves the kernel's default (no limit). The managers turn them into cgroup v1 or v2 files.
 */
export interface CgroupLimits {
  /** Memory in bytes (`mem_limit`, `deploy.resources.limits.memory`). */
  readonly memoryBytes?: number;
  /** Memory plus swap in bytes, at least `memoryBytes` (`memswap_limit`); needs `memoryBytes`. */
  readonly memorySwapBytes?: number | 'unlimited';
  /** CPUs, fractions allowed (`cpus`): a CFS quota of cpus × {@link CFS_PERIOD_US} per period. */
  readonly cpus?: number;
  /** Relative CPU weight as cgroup v1 shares, 2 to 262144 (`cpu_shares`); Docker's default is 1024. */
  readonly cpuShares?: number;
  /** CPUs the container may run on, e.g. `0-2,4` (`cpuset`). */
  readonly cpuset?: string;
  /** Most tasks the container may hold at once (`pids_limit`). */
  readonly pids?: number | 'unlimited';
}

/** The CFS period the CPU quota is measured in, as Docker's: 100 ms. */
export const CFS_PERIOD_US = 100_000;
/** The smallest quota the kernel takes: 1 ms per period, so 0.01 CPUs. */
const MIN_QUOTA_US = 1_000;
/** Docker refuses memory limits below 6 MiB: the container could not even start. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
const CPUSET = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

/** The CFS quota in µs per {@link CFS_PERIOD_US} for a number of CPUs. */
export function cpuQuotaUs(cpus: number): number {
  return Math.round(cpus * CFS_PERIOD_US);
}

/**
 * cgroup v1 shares [2, 262144] as a cgroup v2 weight [1, 10000], as runc (opencontainers/cgroups)
 * converts them: a quadratic fit in log2 that keeps the defaults apart (1024 shares → weight 100).
 */
export function sharesToWeight(shares: number): number {
  if (shares <= 2) return 1;
  if (shares >= 262_144) return 10_000;
  const l = Math.log2(shares);
  return Math.ceil(10 ** ((l * l + 125 * l) / 612 - 7 / 34));
}

function refuse(what: string, hint: string): TscError {
  return new TscError('CONTAINER_START', `invalid resource limit: ${what}`, { hint });
}

const isCount = (v: number): boolean => Number.isSafeInteger(v) && v > 0;

/** Checks limits before anything is created; throws CONTAINER_START naming the first bad one. */
export function checkCgroupLimits(limits: CgroupLimits): void {
  const { memoryBytes: memory, memorySwapBytes: swap, cpus, cpuShares: shares, cpuset, pids } = limits;
  if (memory !== undefined && (!isCount(memory) || memory < MIN_MEMORY_BYTES)) {
    throw refuse(`memory ${memory}`, 'the memory limit is a whole number of bytes, at least 6m');
  }
  if (swap !== undefined) {
    if (memory === undefined) throw refuse('memory+swap without a memory limit', 'set mem_limit as well as memswap_limit');
    if (swap !== 'unlimited' && (!isCount(swap) || swap < memory)) {
      throw refuse(`memory+swap ${swap} below the memory limit ${memory}`, 'memswap_limit counts memory and swap together: make it at least mem_limit, or -1 for unlimited swap');
    }
  }
  if (cpus !== undefined && (!Number.isFinite(cpus) || cpuQuotaUs(cpus) < MIN_QUOTA_US)) {
    throw refuse(`cpus ${cpus}`, 'cpus must be at least 0.01');
  }
  if (shares !== undefined && (!Number.isSafeInteger(shares) || shares < 2 || shares > 262_144)) {
    throw refuse(`cpu shares ${shares}`, 'cpu_shares is a whole number from 2 to 262144 (the default is 1024)');
  }
  if (cpuset !== undefined && !CPUSET.test(cpuset)) {
    throw refuse(`cpuset "${cpuset}"`, 'write CPUs as a list of numbers and ranges, e.g. 0-2,4');
  }
  if (pids !== undefined && pids !== 'unlimited' && !isCount(pids)) {
    throw refuse(`pids ${pids}`, 'pids_limit is a positive whole number, or -1 for no limit');
  }
}
