import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CgroupV2Manager } from '../../../src/cgroups/cgroup-v2-manager.js';
import { describeCgroupManager } from './cgroup-conformance.js';
import { TempCgroupFs } from './temp-cgroupfs.js';

const ID = 'd'.repeat(64);
const MiB = 1024 * 1024;
const DIR = `sys/fs/cgroup/tscompose/${ID}`;

/** A unified hierarchy whose root offers these controllers and has these enabled for its children. */
function v2Layout(fs: TempCgroupFs, offered = 'cpuset cpu io memory hugetlb pids rdma misc', enabled = ''): string {
  fs.put('sys/fs/cgroup/cgroup.controllers', `${offered}\n`);
  fs.put('sys/fs/cgroup/cgroup.subtree_control', enabled === '' ? '' : `${enabled}\n`);
  return join(fs.root, 'sys/fs/cgroup');
}

describeCgroupManager('CgroupV2Manager on temp dirs', async () => {
  const fs = await TempCgroupFs.create();
  const root = v2Layout(fs);
  return { manager: new CgroupV2Manager({ root, host: fs }), parents: [join(root, 'tscompose')], cleanup: () => fs.cleanup() };
});

describe('CgroupV2Manager', () => {
  let fs: TempCgroupFs;
  beforeEach(async () => {
    fs = await TempCgroupFs.create();
  });
  afterEach(async () => {
    await fs.cleanup();
  });

  it('writes every limit into the one directory, swap apart from memory and shares as a weight', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs), host: fs });
    const dirs = await manager.create(ID, { memoryBytes: 32 * MiB, memorySwapBytes: 64 * MiB, cpus: 0.5, cpuShares: 1024, cpuset: '0-1', pids: 20 });
    expect(dirs).toEqual([join(fs.root, DIR)]);
    expect(fs.files(DIR)).toEqual({
      'memory.max': String(32 * MiB), 'memory.swap.max': String(32 * MiB), 'cpu.max': '50000 100000', 'cpu.weight': '100', 'cpuset.cpus': '0-1', 'pids.max': '20',
    });
  });

  it('enables the container controllers the kernel offers for the children of the root and of the parent', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs, 'cpu io memory pids'), host: fs });
    await manager.create(ID, {});
    expect(fs.read('sys/fs/cgroup/cgroup.subtree_control')).toBe('+cpu +memory +pids');
    expect(fs.read('sys/fs/cgroup/tscompose/cgroup.subtree_control')).toBe('+cpu +memory +pids');
  });

  it('writes only the controllers not yet enabled', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs, 'cpuset cpu memory pids', 'cpu memory'), host: fs });
    await manager.create(ID, {});
    expect(fs.read('sys/fs/cgroup/cgroup.subtree_control')).toBe('+cpuset +pids');
  });

  it('writes `max` for unlimited swap and pids', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs), host: fs });
    await manager.create(ID, { memoryBytes: 16 * MiB, memorySwapBytes: 'unlimited', pids: 'unlimited' });
    expect(fs.files(DIR)).toEqual({ 'memory.max': String(16 * MiB), 'memory.swap.max': 'max', 'pids.max': 'max' });
  });

  it('reads memory.current, cpu.stat, pids.current and the oom_kill of memory.events', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs), host: fs });
    await manager.create(ID, {});
    fs.put(`${DIR}/memory.current`, '2097152\n');
    fs.put(`${DIR}/cpu.stat`, 'usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n');
    fs.put(`${DIR}/pids.current`, '4\n');
    fs.put(`${DIR}/memory.events`, 'low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\n');
    expect(await manager.stats(ID)).toEqual({ memoryBytes: 2_097_152, cpuNanos: 1_500_000, pids: 4, oomKills: 1 });
  });

  it('freezes through cgroup.freeze and waits until cgroup.events says frozen', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs), host: fs });
    await manager.create(ID, {});
    fs.put(`${DIR}/cgroup.events`, 'populated 1\nfrozen 0\n');
    await expect(manager.freeze(ID)).rejects.toMatchObject({ code: 'TIMEOUT' });
    fs.put(`${DIR}/cgroup.events`, 'populated 1\nfrozen 1\n');
    await manager.freeze(ID);
    expect(fs.read(`${DIR}/cgroup.freeze`)).toBe('1');
    await manager.thaw(ID);
    expect(fs.read(`${DIR}/cgroup.freeze`)).toBe('0');
  });

  it('kills what is left through cgroup.kill where the kernel has it, then by pid, and removes the cgroup', async () => {
    const manager = new CgroupV2Manager({ root: v2Layout(fs), host: fs });
    await manager.create(ID, {});
    fs.put(`${DIR}/cgroup.kill`, '');
    fs.put(`${DIR}/cgroup.procs`, '201\n202\n');
    await manager.remove(ID);
    expect(fs.removed.get(join(fs.root, DIR))).toMatchObject({ 'cgroup.kill': '1', 'cgroup.procs': '' });
    expect(fs.killed).toEqual([201, 202]);
    expect(fs.exists('sys/fs/cgroup/tscompose')).toBe(false);
  });
});
