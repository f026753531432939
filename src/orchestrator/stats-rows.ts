import type { CgroupStats } from '../cgroups/cgroup-manager.js';
import type { ContainerInfo } from '../runtime/container-info.js';

/** One reading of a container's cgroup counters, and when it was taken (ms, any monotonic clock). */
export interface StatsSample {
  stats: CgroupStats | undefined;
  atMs: number;
}

export interface StatsRow {
  id: string;
  name: string;
  /** Percent of one CPU over the interval between two samples (200 = two CPUs busy). */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  memoryPercent: number;
  pids: number;
}

/**
 * A `stats` row from two samples of one container: CPU as the share of the interval its cgroup spent
 * on CPUs, memory against its limit (the host's memory when it has none), as `docker stats` shows them.
 */
export function statsRow(container: ContainerInfo, before: StatsSample, after: StatsSample, hostMemoryBytes: number): StatsRow {
  const limit = container.spec.resources?.memoryBytes ?? hostMemoryBytes;
  const cpuDelta = (after.stats?.cpuNanos ?? 0) - (before.stats?.cpuNanos ?? 0);
  const wallNanos = (after.atMs - before.atMs) * 1e6;
  const memory = after.stats?.memoryBytes ?? 0;
  return {
    id: container.id,
    name: container.name,
    cpuPercent: wallNanos > 0 && cpuDelta > 0 ? (cpuDelta / wallNanos) * 100 : 0,
    memoryBytes: memory,
    memoryLimitBytes: limit,
    memoryPercent: limit > 0 ? (memory / limit) * 100 : 0,
    pids: after.stats?.pids ?? 0,
  };
}
