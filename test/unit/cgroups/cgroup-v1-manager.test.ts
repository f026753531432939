import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CgroupV1Manager, V1_CONTROLLERS, type V1Controller } from '../../../src/cgroups/cgroup-v1-manager.js';
import { describeCgroupManager } from './cgroup-conformance.js';
import { TempCgroupFs } from './temp-cgroupfs.js';

const ID = 'c'.repeat(64);
const MiB = 1024 * 1024;

/** A v1 layout as this machine's: one hierarchy per controller under sys/fs/cgroup, the root cpuset holding CPUs 0-3. */
function v1Layout(fs: TempCgroupFs, controllers: readonly V1Controller[] = V1_CONTROLLERS): Partial<Record<V1Controller, string>> {
  fs.put('sys/fs/cgroup/cpuset/cpuset.cpus', '0-3\n');
  fs.put('sys/fs/cgroup/cpuset/cpuset.mems', '0\n');
  return Object.fromEntries(controllers.map((c) => [c, fs.mkdir(`sys/fs/cgroup/${c}`)]));
}

describeCgroupManager('CgroupV1Manager on temp dirs', async () => {
  const fs = await TempCgroupFs.create();
  const mounts = v1Layout(fs);
  return {
    manager: new CgroupV1Manager({ mounts, host: fs }),
    parents: V1_CONTROLLERS.map((c) => join(mounts[c] ?? '', 'tscompose')),
    cleanup: () => fs.cleanup(),
  };
});

describe('CgroupV1Manager', () => {
  let fs: TempCgroupFs;
  beforeEach(async () => {
    fs = await TempCgroupFs.create();
  });
  afterEach(async () => {
    await fs.cleanup();
  });

  it('writes each limit into its own controller\'s hierarchy', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    const dirs = await manager.create(ID, { memoryBytes: 32 * MiB, memorySwapBytes: 64 * MiB, cpus: 0.5, cpuShares: 512, cpuset: '0-1', pids: 20 });
    expect(dirs).toEqual(V1_CONTROLLERS.map((c) => join(fs.root, 'sys/fs/cgroup', c, 'tscompose', ID)));
    const at = (c: string): Record<string, string> => fs.files(`sys/fs/cgroup/${c}/tscompose/${ID}`);
    expect(at('memory')).toEqual({ 'memory.limit_in_bytes': String(32 * MiB), 'memory.memsw.limit_in_bytes': String(64 * MiB) });
    expect(at('cpu')).toEqual({ 'cpu.cfs_period_us': '100000', 'cpu.cfs_quota_us': '50000', 'cpu.shares': '512' });
    expect(at('pids')).toEqual({ 'pids.max': '20' });
    expect([at('cpuacct'), at('freezer')]).toEqual([{}, {}]);
  });

  it('gives a new cpuset cgroup and its parent the CPUs and memory nodes of the level above', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    await manager.create(ID, { cpuset: '1' });
    expect(fs.files('sys/fs/cgroup/cpuset/tscompose')).toEqual({ 'cpuset.cpus': '0-3', 'cpuset.mems': '0' });
    expect(fs.files(`sys/fs/cgroup/cpuset/tscompose/${ID}`)).toEqual({ 'cpuset.cpus': '1', 'cpuset.mems': '0' });
  });

  it('makes one directory for co-mounted controllers, and uses the parent it is given', async () => {
    const both = fs.mkdir('sys/fs/cgroup/cpu,cpuacct');
    const pids = fs.mkdir('sys/fs/cgroup/pids');
    const manager = new CgroupV1Manager({ mounts: { cpu: both, cpuacct: both, pids }, parent: 'tscompose-test', host: fs });
    expect(await manager.create(ID, { cpus: 2 })).toEqual([join(both, 'tscompose-test', ID), join(pids, 'tscompose-test', ID)]);
    expect(fs.read(`sys/fs/cgroup/cpu,cpuacct/tscompose-test/${ID}/cpu.cfs_quota_us`)).toBe('200000');
  });

  it('refuses a limit whose controller is not mounted, before it makes anything', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs, ['memory', 'cpu']), host: fs });
    await expect(manager.create(ID, { pids: 20 })).rejects.toMatchObject({
      code: 'KERNEL', message: `cgroup \`tscompose/${ID}\`: pids.max needs the pids controller, which is not mounted`, hint: expect.stringContaining('pids'),
    });
    expect(fs.exists('sys/fs/cgroup/memory/tscompose')).toBe(false);
  });

  it('reads usage, CPU time, tasks and OOM kills', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    await manager.create(ID, {});
    fs.put(`sys/fs/cgroup/memory/tscompose/${ID}/memory.usage_in_bytes`, '1048576\n');
    fs.put(`sys/fs/cgroup/memory/tscompose/${ID}/memory.oom_control`, 'oom_kill_disable 0\nunder_oom 0\noom_kill 2\n');
    fs.put(`sys/fs/cgroup/cpuacct/tscompose/${ID}/cpuacct.usage`, '123456789\n');
    fs.put(`sys/fs/cgroup/pids/tscompose/${ID}/pids.current`, '3\n');
    expect(await manager.stats(ID)).toEqual({ memoryBytes: 1_048_576, cpuNanos: 123_456_789, pids: 3, oomKills: 2 });
  });

  it('takes a hit memory limit for an OOM kill on kernels whose oom_control has no counter', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    await manager.create(ID, {});
    fs.put(`sys/fs/cgroup/memory/tscompose/${ID}/memory.oom_control`, 'oom_kill_disable 0\nunder_oom 0\n');
    fs.put(`sys/fs/cgroup/memory/tscompose/${ID}/memory.failcnt`, '5\n');
    expect((await manager.stats(ID))?.oomKills).toBe(1);
  });

  it('freezes and thaws through freezer.state', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    await manager.create(ID, {});
    await manager.freeze(ID);
    expect(fs.read(`sys/fs/cgroup/freezer/tscompose/${ID}/freezer.state`)).toBe('FROZEN');
    await manager.thaw(ID);
    expect(fs.read(`sys/fs/cgroup/freezer/tscompose/${ID}/freezer.state`)).toBe('THAWED');
  });

  it('kills the tasks left in any hierarchy, frozen, each once, then removes every directory', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Layout(fs), host: fs });
    const dirs = await manager.create(ID, {});
    fs.put(`sys/fs/cgroup/memory/tscompose/${ID}/cgroup.procs`, '101\n102\n');
    fs.put(`sys/fs/cgroup/pids/tscompose/${ID}/cgroup.procs`, '102\n103\n');
    await manager.remove(ID);
    expect(fs.killed).toEqual([101, 102, 103]);
    expect(fs.removed.get(join(fs.root, 'sys/fs/cgroup/freezer/tscompose', ID))).toEqual({ 'freezer.state': 'THAWED' });
    expect([...fs.removed.keys()].filter((d) => dirs.includes(d)).sort()).toEqual([...dirs].sort());
    expect(V1_CONTROLLERS.filter((c) => fs.exists(`sys/fs/cgroup/${c}/tscompose`))).toEqual([]);
  });
});
