import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ContainerFs } from '../../../src/orchestrator/container-fs.js';
import { containerPids, cpuTime, processRows, startTime, ttyName } from '../../../src/orchestrator/top.js';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-cfs-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ContainerFs: paths resolved inside the container', () => {
  it('follows symlinks within the root, absolute ones from the container root, and refuses a path that climbs out', async () => {
    const root = temp();
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/hostname'), 'container\n');
    symlinkSync('/etc/hostname', join(root, 'abs'));
    symlinkSync('../../../../etc/hostname', join(root, 'climb'));
    symlinkSync('etc', join(root, 'rel'));
    const fs = new ContainerFs([root], 'container c');
    expect(await fs.resolve('/abs', true)).toEqual(['etc', 'hostname']);
    expect(await fs.resolve('/abs', false)).toEqual(['abs']);
    expect(await fs.resolve('/rel/hostname', false)).toEqual(['etc', 'hostname']);
    await expect(fs.resolve('/climb', true)).rejects.toThrow('leads outside the container');
    await expect(fs.resolve('/../etc', true)).rejects.toThrow('leads outside the container');
  });

  it('merges layers: the top entry wins, a whiteout hides what is below, writes land in the top layer', async () => {
    const upper = temp();
    const lower = temp();
    mkdirSync(join(lower, 'etc/deep'), { recursive: true, mode: 0o750 });
    writeFileSync(join(lower, 'etc/a'), 'lower a');
    writeFileSync(join(lower, 'etc/b'), 'lower b');
    mkdirSync(join(upper, 'etc'));
    writeFileSync(join(upper, 'etc/a'), 'upper a');
    const fs = new ContainerFs([upper, lower], 'container c');
    expect(await fs.list(['etc'])).toEqual(['a', 'b', 'deep']);
    if (process.getuid?.() === 0) {
      // A whiteout (a 0/0 character device, as overlayfs writes one) hides b.
      execFileSync('mknod', [join(upper, 'etc/b'), 'c', '0', '0']);
      expect(await fs.list(['etc'])).toEqual(['a', 'deep']);
      expect(await fs.entry(['etc', 'b'])).toBeUndefined();
      // Writing over it removes the whiteout.
      expect(await fs.writable(['etc', 'b'])).toBe(join(upper, 'etc/b'));
      expect(existsSync(join(upper, 'etc/b'))).toBe(false);
    }
    expect(readFileSync((await fs.entry(['etc', 'a']))?.host as string, 'utf8')).toBe('upper a');
    expect(readFileSync((await fs.entry(['etc', 'b']))?.host as string, 'utf8')).toBe('lower b');
    const target = await fs.writable(['etc', 'deep', 'new']);
    expect(target).toBe(join(upper, 'etc/deep/new'));
    expect(statSync(join(upper, 'etc/deep')).mode & 0o777).toBe(0o750);
    expect(existsSync(join(lower, 'etc/deep/new'))).toBe(false);
  });
});

describe('top: processes from /proc', () => {
  it('reads the container cgroup procs, or the pid namespace without a cgroup, and formats ps columns', async () => {
    const proc = temp();
    const cgroup = temp();
    mkdirSync(join(proc, '42'));
    writeFileSync(join(proc, 'uptime'), '1000.00 5.00\n');
    writeFileSync(join(proc, '42/cgroup'), '0::/tscompose/abc\n');
    writeFileSync(join(proc, '42/stat'), `42 (sh) S 7 42 42 34816 0 0 0 0 0 0 ${100 * 10} ${100 * 5} 0 0 20 0 1 0 ${100 * 500} 0 0\n`);
    writeFileSync(join(proc, '42/status'), 'Name:\tsh\nUid:\t1000\t1000\t1000\t1000\n');
    writeFileSync(join(proc, '42/cmdline'), 'sh\0-c\0sleep 1\0');
    mkdirSync(join(cgroup, 'unified/tscompose/abc'), { recursive: true });
    writeFileSync(join(cgroup, 'unified/tscompose/abc/cgroup.procs'), '42\n43\n');
    expect(await containerPids(42, { procRoot: proc, cgroupRoot: cgroup })).toEqual([42, 43]);
    const now = new Date(2026, 0, 2, 12, 0, 0);
    const rows = await processRows([42, 43], { procRoot: proc, now: () => now, userName: (uid) => (uid === 1000 ? 'app' : undefined) });
    expect(rows).toEqual([{ uid: 'app', pid: 42, ppid: 7, c: 3, stime: startTime(new Date(now.getTime() - 500_000), now), tty: 'pts/0', time: '00:00:15', cmd: 'sh -c sleep 1' }]);
  });

  it('formats TIME, STIME and TTY as ps does', () => {
    expect(cpuTime(3661)).toBe('01:01:01');
    expect(cpuTime(90061)).toBe('1-01:01:01');
    expect(startTime(new Date(2026, 0, 2, 9, 5), new Date(2026, 0, 2, 12))).toBe('09:05');
    expect(startTime(new Date(2026, 0, 1, 9, 5), new Date(2026, 0, 2, 12))).toBe('Jan01');
    expect(ttyName(0)).toBe('?');
    expect(ttyName((136 << 8) | 3)).toBe('pts/3');
    expect(ttyName((4 << 8) | 1)).toBe('tty1');
  });
});
