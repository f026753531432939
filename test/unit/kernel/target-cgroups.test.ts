import { describe, expect, it } from 'vitest';
import { cgroupDirs, parseCgroupMounts } from '../../../src/kernel/linux/target-cgroups.js';

const HYBRID = `31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
50 23 8:1 / /mnt/with\\040space rw - ext4 /dev/sda1 rw`;

describe('the cgroups of a process, as host directories', () => {
  it('reads the cgroup mounts of mountinfo, v1 with their options, v2 alone', () => {
    const mounts = parseCgroupMounts(HYBRID);
    expect(mounts.map((m) => [m.mountPoint, m.version])).toEqual([
      ['/sys/fs/cgroup/cpu,cpuacct', 1], ['/sys/fs/cgroup/memory', 1], ['/sys/fs/cgroup/pids', 1], ['/sys/fs/cgroup/systemd', 1], ['/sys/fs/cgroup/unified', 2],
    ]);
    expect(mounts[3]?.options).toContain('name=systemd');
  });

  it('maps each hierarchy of /proc/<pid>/cgroup to its mount, leaving out what is not mounted', () => {
    const procCgroup = '12:blkio:/elsewhere\n4:memory:/tscompose/abc\n3:cpu,cpuacct:/tscompose/abc\n2:pids:/tscompose/abc\n1:name=systemd:/user.slice\n0::/tscompose/abc\n';
    expect(cgroupDirs(procCgroup, parseCgroupMounts(HYBRID))).toEqual([
      '/sys/fs/cgroup/memory/tscompose/abc',
      '/sys/fs/cgroup/cpu,cpuacct/tscompose/abc',
      '/sys/fs/cgroup/pids/tscompose/abc',
      '/sys/fs/cgroup/systemd/user.slice',
      '/sys/fs/cgroup/unified/tscompose/abc',
    ]);
  });

  it('handles a unified-only host and a mount of part of a hierarchy', () => {
    const v2 = parseCgroupMounts('30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate');
    expect(cgroupDirs('0::/tscompose/abc\n', v2)).toEqual(['/sys/fs/cgroup/tscompose/abc']);
    const part = parseCgroupMounts('30 23 0:26 /tscompose /mnt/cg rw - cgroup2 cgroup2 rw');
    expect(cgroupDirs('0::/tscompose/abc\n', part)).toEqual(['/mnt/cg/abc']);
    expect(cgroupDirs('0::/other\n', part)).toEqual([]);
  });
});
