import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CgroupLimits } from '../../../src/cgroups/cgroup-limits.js';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';
import { describeRuntimeLifecycle } from '../../unit/runtime/runtime-conformance.js';
import { describeCgroupManager } from '../../unit/cgroups/cgroup-conformance.js';
import { linuxWorld, nativesReady, type LinuxWorld } from '../runtime/runtime-world.js';
import { cgroupWorldPerTest } from './cgroup-world.js';
import { hostCgroups } from './host-cgroups.js';

const MiB = 1024 * 1024;
const host = hostCgroups();
const ready = nativesReady && host.manager.kind !== 'none';

afterAll(() => {
  expect(host.leftovers()).toEqual([]);
});

describe.skipIf(!ready)(`cgroups on this host (${host.manager.kind})`, () => {
  describeCgroupManager('the detected manager', async () => ({ manager: host.manager, parents: host.parents, cleanup: async () => undefined }));
  describeRuntimeLifecycle('LinuxKernel in cgroups', () => linuxWorld({ cgroups: host.manager }));

  describe('limits on real containers', () => {
    let world: LinuxWorld;
    cgroupWorldPerTest(host, (w) => (world = w));

    async function runToEnd(name: string, args: string[], resources: CgroupLimits): Promise<{ id: string; stdout: string; stderr: string }> {
      const rt = world.runtime;
      const { id } = await rt.create(world.spec(name, args, { resources }));
      await rt.start(name);
      await rt.wait(name);
      let stdout = '';
      let stderr = '';
      for await (const r of rt.logs(name)) if (r.stream === 'stdout') stdout += r.log; else stderr += r.log;
      return { id, stdout, stderr };
    }

    it('kills a process that allocates 64 MB under a 32 MB limit, and reports it as OOM-killed', async () => {
      const { id, stdout } = await runToEnd('hog', ['probe', 'alloc', '64', '5'], { memoryBytes: 32 * MiB });
      const info = await world.runtime.inspect('hog');
      expect(info).toMatchObject({ status: 'exited', oomKilled: true, exit: { exitCode: null, signal: 'SIGKILL', oomKilled: true } });
      expect(stdout).not.toContain('allocated');
      expect((await world.runtime.stats('hog'))?.oomKills).toBeGreaterThan(0);
      await world.runtime.remove('hog');
      expect(existsSync(host.dirOf('memory', id))).toBe(false);
    });

    it('lets a process use what its memory limit allows, and does not call that an OOM kill', async () => {
      const { stdout } = await runToEnd('fits', ['probe', 'alloc', '8'], { memoryBytes: 32 * MiB });
      expect(stdout).toContain('allocated 8 MB');
      expect(await world.runtime.inspect('fits')).toMatchObject({ oomKilled: false, exit: { exitCode: 0 } });
      await world.runtime.remove('fits');
    });

    it('stops a fork loop at the pids limit of 20', async () => {
      const { stdout, stderr } = await runToEnd('forker', ['probe', 'forks', '100'], { pids: 20 });
      expect(stdout).toContain('forked 19 of 100');
      expect(stderr).toMatch(/probe: fork 20: Resource temporarily unavailable/);
      expect(await world.runtime.inspect('forker')).toMatchObject({ oomKilled: false, exit: { exitCode: 1 } });
      await world.runtime.remove('forker');
    });

    it('puts the container, not its monitor, in its cgroup with quota 50000 per 100000 for 0.5 CPUs, and removes it', async () => {
      const rt = world.runtime;
      const { id } = await rt.create(world.spec('half', ['probe', 'sleep', '30'], { resources: { cpus: 0.5, cpuShares: 512, memoryBytes: 64 * MiB } }));
      const started = await rt.start('half');
      const cpu = host.dirOf('cpu', id);
      if (host.manager.kind === 'v1') {
        expect([readFileSync(join(cpu, 'cpu.cfs_quota_us'), 'utf8'), readFileSync(join(cpu, 'cpu.cfs_period_us'), 'utf8')]).toEqual(['50000\n', '100000\n']);
        expect(readFileSync(join(cpu, 'cpu.shares'), 'utf8')).toBe('512\n');
        expect(readFileSync(join(host.dirOf('memory', id), 'memory.limit_in_bytes'), 'utf8')).toBe(`${64 * MiB}\n`);
      } else {
        expect(readFileSync(join(cpu, 'cpu.max'), 'utf8')).toBe('50000 100000\n');
        expect(readFileSync(join(cpu, 'cpu.weight'), 'utf8')).toBe('59\n');
      }
      const procs = readFileSync(join(cpu, 'cgroup.procs'), 'utf8').trim().split('\n').map(Number);
      expect(procs).toEqual([started.pid]);
      expect(readFileSync(`/proc/${started.pid}/cgroup`, 'utf8')).toContain(`/${host.parent}/${id}`);
      expect((await rt.stats('half'))?.pids).toBe(1);
      await rt.remove('half', { force: true });
      expect(existsSync(cpu)).toBe(false);
    });

    it('fails to start, leaving no cgroup, when the kernel refuses a limit', async () => {
      const { id } = await world.runtime.create(world.spec('nocpu', ['probe', 'sleep', '30'], { resources: { cpuset: '4095' } }));
      await expect(world.runtime.start('nocpu')).rejects.toMatchObject({ code: 'KERNEL', message: expect.stringContaining('cpuset.cpus') });
      expect(world.kernel.launched).toEqual([]);
      expect(host.leftovers()).toEqual([]);
      expect((await world.runtime.inspect('nocpu')).error).toContain(id.slice(0, 12));
      await world.runtime.remove('nocpu');
    });
  });

  describe('the helper joining cgroups', () => {
    let world: LinuxWorld;
    afterEach(async () => {
      expect(await world.cleanup()).toEqual([]);
    });

    it('fails the launch with the cgroup step when a directory cannot be joined', async () => {
      const real = host.manager;
      const missing: CgroupManager = {
        kind: real.kind, create: async () => ['/sys/fs/cgroup/no-such-cgroup'],
        stats: (n) => real.stats(n), freeze: (n) => real.freeze(n), thaw: (n) => real.thaw(n), remove: (n) => real.remove(n),
      };
      world = await linuxWorld({ cgroups: missing });
      await world.runtime.create(world.spec('lost', ['probe', 'exit', '0']));
      const err = await world.runtime.start('lost').catch((e: unknown) => e);
      expect(err).toMatchObject({ cause: { step: 'cgroup', errnoName: 'ENOENT', message: expect.stringContaining('join cgroup `/sys/fs/cgroup/no-such-cgroup`') } });
      await world.runtime.remove('lost');
    });
  });

  describe('removing a cgroup', () => {
    it('kills a process left in it, then removes every directory', async () => {
      const name = 'e'.repeat(64);
      const dirs = await host.manager.create(name, {});
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      await once(child, 'spawn');
      const exited = once(child, 'exit');
      for (const dir of dirs) writeFileSync(join(dir, 'cgroup.procs'), String(child.pid));
      expect((await host.manager.stats(name))?.pids).toBe(1);
      await host.manager.remove(name);
      expect(await exited).toEqual([null, 'SIGKILL']);
      expect(dirs.filter((d) => existsSync(d))).toEqual([]);
      expect(host.leftovers()).toEqual([]);
    });
  });
});
