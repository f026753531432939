import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectCgroupManager, parseCgroupMounts } from '../../../src/cgroups/detect.js';
import { TempCgroupFs } from './temp-cgroupfs.js';

/** The hybrid layout: a hierarchy per v1 controller, and a unified one that holds none of them. */
const HYBRID = [
  '25 30 0:23 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw',
  '31 25 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct',
  '34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset',
  '35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory',
  '36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices',
  '37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer',
  '39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids',
  '40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
].join('\n');

/** Pure v2, with optional fields before the separator and a leftover named v1 hierarchy. */
const UNIFIED = [
  '22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw',
  '35 24 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot',
  '36 35 0:31 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
].join('\n');

describe('cgroup detection', () => {
  it('finds each v1 controller\'s hierarchy and the unified one of a hybrid layout', () => {
    expect(parseCgroupMounts(HYBRID)).toEqual({
      v1: {
        cpu: '/sys/fs/cgroup/cpu', cpuacct: '/sys/fs/cgroup/cpuacct', cpuset: '/sys/fs/cgroup/cpuset',
        memory: '/sys/fs/cgroup/memory', freezer: '/sys/fs/cgroup/freezer', pids: '/sys/fs/cgroup/pids',
      },
      v2: '/sys/fs/cgroup/unified',
    });
  });

  it('gives co-mounted controllers their one hierarchy, and unescapes mount points', () => {
    const text = '40 31 0:40 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n41 31 0:41 / /mnt/my\\040cgroups rw - cgroup cgroup rw,memory';
    expect(parseCgroupMounts(text)).toEqual({ v1: { cpu: '/sys/fs/cgroup/cpu,cpuacct', cpuacct: '/sys/fs/cgroup/cpu,cpuacct', memory: '/mnt/my cgroups' } });
  });

  it('finds only the unified hierarchy on a v2 host, and nothing where no cgroup is mounted', () => {
    expect(parseCgroupMounts(UNIFIED)).toEqual({ v1: {}, v2: '/sys/fs/cgroup' });
    expect(parseCgroupMounts('22 1 0:21 / /proc rw - proc proc rw\n')).toEqual({ v1: {} });
    expect(parseCgroupMounts('')).toEqual({ v1: {} });
  });

  describe('choosing the manager', () => {
    let fs: TempCgroupFs;
    beforeEach(async () => {
      fs = await TempCgroupFs.create();
    });
    afterEach(async () => {
      await fs.cleanup();
    });

    it('takes v1 on a hybrid host, its hierarchies under the given root', async () => {
      fs.put('proc/self/mountinfo', HYBRID);
      for (const c of ['cpu', 'cpuacct', 'cpuset', 'memory', 'freezer', 'pids']) fs.mkdir(`sys/fs/cgroup/${c}`);
      const manager = detectCgroupManager({ root: fs.root, host: fs });
      expect(manager.kind).toBe('v1');
      const dirs = await manager.create('x1', { memoryBytes: 64 << 20 });
      expect(dirs).toContain(join(fs.root, 'sys/fs/cgroup/memory/tscompose/x1'));
      expect(fs.read('sys/fs/cgroup/memory/tscompose/x1/memory.limit_in_bytes')).toBe(String(64 << 20));
      await manager.remove('x1');
      expect(dirs.filter((d) => existsSync(d))).toEqual([]);
    });

    it('takes v2 where only the unified hierarchy is mounted, with the parent it is given', async () => {
      fs.put('proc/self/mountinfo', UNIFIED);
      fs.put('sys/fs/cgroup/cgroup.controllers', 'cpu memory pids\n');
      const manager = detectCgroupManager({ root: fs.root, parent: 'tscompose-t', host: fs });
      expect(manager.kind).toBe('v2');
      expect(await manager.create('x2', { pids: 5 })).toEqual([join(fs.root, 'sys/fs/cgroup/tscompose-t/x2')]);
      expect(fs.read('sys/fs/cgroup/tscompose-t/x2/pids.max')).toBe('5');
      await manager.remove('x2');
      expect(fs.exists('sys/fs/cgroup/tscompose-t')).toBe(false);
    });

    it('takes none without cgroup mounts or without /proc', async () => {
      expect(detectCgroupManager({ root: fs.root }).kind).toBe('none');
      fs.put('proc/self/mountinfo', '22 1 0:21 / /proc rw - proc proc rw\n');
      const manager = detectCgroupManager({ root: fs.root });
      expect(manager.kind).toBe('none');
      expect(await manager.create('x3', { pids: 5 })).toEqual([]);
      await expect(manager.create('x3', { pids: 0 })).rejects.toMatchObject({ code: 'CONTAINER_START' });
      await expect(manager.freeze('x3')).rejects.toMatchObject({ code: 'KERNEL' });
    });
  });
});
