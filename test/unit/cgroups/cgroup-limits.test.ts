import { describe, expect, it } from 'vitest';
import { checkCgroupLimits, cpuQuotaUs, sharesToWeight, type CgroupLimits } from '../../../src/cgroups/cgroup-limits.js';
import { v1LimitFiles, v2LimitFiles } from '../../../src/cgroups/limit-files.js';

const MiB = 1024 * 1024;
const ALL: CgroupLimits = { memoryBytes: 32 * MiB, memorySwapBytes: 96 * MiB, cpus: 1.5, cpuShares: 512, cpuset: '0-1,3', pids: 20 };

describe('cgroup limits', () => {
  it('converts cpus to a CFS quota per 100 ms period', () => {
    expect([cpuQuotaUs(0.5), cpuQuotaUs(1.5), cpuQuotaUs(0.01), cpuQuotaUs(2)]).toEqual([50_000, 150_000, 1_000, 200_000]);
  });

  it('converts v1 shares to a v2 weight as runc does, defaults mapping to defaults', () => {
    expect([2, 512, 1024, 2048, 262_144].map(sharesToWeight)).toEqual([1, 59, 100, 174, 10_000]);
  });

  it.each<[string, CgroupLimits]>([
    ['memory below 6 MiB', { memoryBytes: 4 * MiB }],
    ['fractional memory', { memoryBytes: 8 * MiB + 0.5 }],
    ['swap without memory', { memorySwapBytes: 64 * MiB }],
    ['memory+swap below memory', { memoryBytes: 64 * MiB, memorySwapBytes: 32 * MiB }],
    ['cpus below 0.01', { cpus: 0.001 }],
    ['cpus not a number', { cpus: Number.NaN }],
    ['shares out of range', { cpuShares: 1 }],
    ['a cpuset that is not a list', { cpuset: '0-1;2' }],
    ['pids of zero', { pids: 0 }],
  ])('refuses %s with CONTAINER_START and a hint', (_what, limits) => {
    let error: unknown;
    try {
      checkCgroupLimits(limits);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'CONTAINER_START', message: expect.stringMatching(/^invalid resource limit: /), hint: expect.any(String) });
  });

  it('accepts every limit at once, unlimited swap and pids, and no limits at all', () => {
    expect(() => checkCgroupLimits(ALL)).not.toThrow();
    expect(() => checkCgroupLimits({ memoryBytes: 6 * MiB, memorySwapBytes: 'unlimited', pids: 'unlimited' })).not.toThrow();
    expect(() => checkCgroupLimits({})).not.toThrow();
  });

  it('maps limits to v1 files, memory before memory+swap', () => {
    expect(v1LimitFiles(ALL).map((f) => [f.controller, f.file, f.value])).toEqual([
      ['memory', 'memory.limit_in_bytes', String(32 * MiB)],
      ['memory', 'memory.memsw.limit_in_bytes', String(96 * MiB)],
      ['cpu', 'cpu.cfs_period_us', '100000'],
      ['cpu', 'cpu.cfs_quota_us', '150000'],
      ['cpu', 'cpu.shares', '512'],
      ['cpuset', 'cpuset.cpus', '0-1,3'],
      ['pids', 'pids.max', '20'],
    ]);
    expect(v1LimitFiles({ memoryBytes: 8 * MiB, memorySwapBytes: 'unlimited', pids: 'unlimited' }).map((f) => f.value)).toEqual([String(8 * MiB), '-1', 'max']);
    expect(v1LimitFiles({})).toEqual([]);
  });

  it('maps limits to v2 files: swap apart from memory, cpu.max, a weight', () => {
    expect(v2LimitFiles(ALL).map((f) => [f.controller, f.file, f.value])).toEqual([
      ['memory', 'memory.max', String(32 * MiB)],
      ['memory', 'memory.swap.max', String(64 * MiB)],
      ['cpu', 'cpu.max', '150000 100000'],
      ['cpu', 'cpu.weight', '59'],
      ['cpuset', 'cpuset.cpus', '0-1,3'],
      ['pids', 'pids.max', '20'],
    ]);
    expect(v2LimitFiles({ memoryBytes: 8 * MiB, memorySwapBytes: 8 * MiB }).map((f) => f.value)).toEqual([String(8 * MiB), '0']);
    expect(v2LimitFiles({ memoryBytes: 8 * MiB, memorySwapBytes: 'unlimited', pids: 'unlimited' }).map((f) => f.value)).toEqual([String(8 * MiB), 'max', 'max']);
  });
});
