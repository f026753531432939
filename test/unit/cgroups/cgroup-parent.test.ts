import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';
import { isCgroupParent } from '../../../src/cgroups/cgroup-path.js';
import { CgroupV1Manager, V1_CONTROLLERS } from '../../../src/cgroups/cgroup-v1-manager.js';
import { CgroupV2Manager } from '../../../src/cgroups/cgroup-v2-manager.js';
import { NullCgroupManager } from '../../../src/cgroups/null-cgroup-manager.js';
import { describeCgroupParents } from './cgroup-parent-conformance.js';
import { TempCgroupFs } from './temp-cgroupfs.js';

const ID = '9'.repeat(64);

function v1Mounts(fs: TempCgroupFs): Record<string, string> {
  fs.put('sys/fs/cgroup/cpuset/cpuset.cpus', '0-3\n');
  fs.put('sys/fs/cgroup/cpuset/cpuset.mems', '0\n');
  return Object.fromEntries(V1_CONTROLLERS.map((c) => [c, fs.mkdir(`sys/fs/cgroup/${c}`)]));
}

function v2Root(fs: TempCgroupFs): string {
  fs.put('sys/fs/cgroup/cgroup.controllers', 'cpuset cpu memory pids\n');
  fs.put('sys/fs/cgroup/cgroup.subtree_control', '');
  return join(fs.root, 'sys/fs/cgroup');
}

describeCgroupParents('CgroupV1Manager on temp dirs', async () => {
  const fs = await TempCgroupFs.create();
  const mounts = v1Mounts(fs);
  return { manager: new CgroupV1Manager({ mounts, host: fs }), hierarchies: Object.values(mounts), other: 'elsewhere', cleanup: () => fs.cleanup() };
});

describeCgroupParents('CgroupV2Manager on temp dirs', async () => {
  const fs = await TempCgroupFs.create();
  const root = v2Root(fs);
  return { manager: new CgroupV2Manager({ root, host: fs, parent: 'mine' }), hierarchies: [root], other: 'elsewhere', cleanup: () => fs.cleanup() };
});

describe('a parent given to a call', () => {
  let fs: TempCgroupFs;
  beforeEach(async () => {
    fs = await TempCgroupFs.create();
  });
  afterEach(async () => {
    await fs.cleanup();
  });

  it('is where v1 freezes, thaws, kills what is left and removes, its own parent untouched', async () => {
    const manager = new CgroupV1Manager({ mounts: v1Mounts(fs), host: fs, parent: 'mine' });
    expect(manager.parent).toBe('mine');
    await manager.create(ID, { pids: 20 }, 'recorded');
    expect(fs.read(`sys/fs/cgroup/pids/recorded/${ID}/pids.max`)).toBe('20');
    await manager.freeze(ID, 'recorded');
    expect(fs.read(`sys/fs/cgroup/freezer/recorded/${ID}/freezer.state`)).toBe('FROZEN');
    await manager.thaw(ID, 'recorded');
    expect(fs.read(`sys/fs/cgroup/freezer/recorded/${ID}/freezer.state`)).toBe('THAWED');
    fs.put(`sys/fs/cgroup/memory/recorded/${ID}/cgroup.procs`, '301\n');
    await manager.remove(ID, 'recorded');
    expect(fs.killed).toEqual([301]);
    expect(V1_CONTROLLERS.filter((c) => fs.exists(`sys/fs/cgroup/${c}/recorded`) || fs.exists(`sys/fs/cgroup/${c}/mine`))).toEqual([]);
  });

  it('is where v2 freezes and thaws, and a freeze of a cgroup not under it fails without making one', async () => {
    const manager = new CgroupV2Manager({ root: v2Root(fs), host: fs });
    await manager.create(ID, {}, 'recorded');
    fs.put(`sys/fs/cgroup/recorded/${ID}/cgroup.events`, 'populated 1\nfrozen 1\n');
    await manager.freeze(ID, 'recorded');
    expect(fs.read(`sys/fs/cgroup/recorded/${ID}/cgroup.freeze`)).toBe('1');
    await manager.thaw(ID, 'recorded');
    expect(fs.read(`sys/fs/cgroup/recorded/${ID}/cgroup.freeze`)).toBe('0');
    await expect(manager.freeze(ID)).rejects.toMatchObject({ code: 'KERNEL' });
    expect(fs.exists('sys/fs/cgroup/tscompose')).toBe(false);
    await manager.remove(ID, 'recorded');
    expect(fs.exists('sys/fs/cgroup/recorded')).toBe(false);
  });

  it('is refused with INTERNAL when it is not one plain directory name', async () => {
    const manager = new CgroupV2Manager({ root: v2Root(fs), host: fs });
    await expect(manager.create(ID, {}, '../escape')).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(manager.remove(ID, 'a/b')).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(fs.exists('escape')).toBe(false);
    expect(['recorded', 'a-b_c.1'].map(isCgroupParent)).toEqual([true, true]);
    expect(['', '..', 'a/b', '-x', 'x'.repeat(201), undefined].map(isCgroupParent)).toEqual([false, false, false, false, false, false]);
  });

  it('means nothing to the null manager, which has no parent', async () => {
    const manager: CgroupManager = new NullCgroupManager();
    expect(manager.parent).toBeUndefined();
    expect(await manager.create(ID, {}, 'recorded')).toEqual([]);
    expect(await manager.stats(ID, 'recorded')).toBeUndefined();
    await manager.remove(ID, 'recorded');
  });
});
