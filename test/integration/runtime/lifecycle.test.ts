import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRuntimeLifecycle, untilLogged } from '../../unit/runtime/runtime-conformance.js';
import { ROOTFS_USER } from '../helpers/rootfs.js';
import { mountsUnder } from './harness.js';
import { capMask, type ProbeReport } from './probe-report.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

describe.skipIf(!nativesReady)('runtime on the Linux kernel', () => {
  describeRuntimeLifecycle('LinuxKernel', linuxWorld);

  describe('beyond the shared contract', () => {
    let world: LinuxWorld;
    beforeEach(async () => {
      world = await linuxWorld();
    });
    afterEach(async () => {
      expect(await world.cleanup()).toEqual([]);
    });

    async function report(name: string, overrides: Parameters<LinuxWorld['spec']>[2] = {}): Promise<ProbeReport> {
      const rt = world.runtime;
      await rt.create(world.spec(name, ['probe', 'report'], overrides));
      await rt.start(name);
      expect((await rt.wait(name)).exitCode).toBe(0);
      let out = '';
      for await (const r of rt.logs(name)) if (r.stream === 'stdout') out += r.log;
      await rt.remove(name);
      return JSON.parse(out) as ProbeReport;
    }

    it('runs the container as the plan says: user from /etc/passwd, Docker\'s capabilities, hostname, env', async () => {
      const r = await report('who', { process: { args: ['probe', 'report'], user: 'user', env: ['GREETING=hi'], cwd: '/tmp' } });
      expect([r.uid, r.gid, r.groups]).toEqual([ROOTFS_USER.uid, ROOTFS_USER.gid, [ROOTFS_USER.extraGid]]);
      expect(r.hostname).toMatch(/^[0-9a-f]{12}$/);
      expect(r.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOSTNAME=${r.hostname}`, 'GREETING=hi', 'HOME=/home/user']);
      expect(r.cwd).toBe('/tmp');
      expect(capMask(r, 'CapBnd')).toBe(0xa80425fbn);
      expect(r.pid).toBe(1);
      const hard = Number(readFileSync('/proc/self/limits', 'utf8').match(/^Max open files\s+\d+\s+(\d+)/m)?.[1]);
      expect(r.rlimits.NOFILE).toEqual({ soft: Math.min(1_048_576, hard), hard: Math.min(1_048_576, hard) });
    });

    it('mounts binds and tmpfs of the spec, read-only where asked', async () => {
      const r = await report('mounts', {
        mounts: [{ type: 'bind', source: world.rootfs, target: '/mnt/root', readonly: true }, { type: 'tmpfs', target: '/scratch', sizeBytes: 1 << 20 }],
        readonlyRootfs: true,
      });
      const bind = r.mounts.find((m) => m.target === '/mnt/root');
      expect(bind?.options.split(',')).toContain('ro');
      expect(r.mounts.find((m) => m.target === '/scratch')?.type).toBe('tmpfs');
      expect(r.mounts.find((m) => m.target === '/')?.options.split(',')).toContain('ro');
    });

    it('survives 20 cycles of create, start, stop and remove without leaving anything', async () => {
      const rt = world.runtime;
      for (let i = 0; i < 20; i++) {
        const info = await rt.create(world.spec(`cycle-${i}`, ['probe', 'sleep', '30']));
        await rt.start(info.id);
        await untilLogged(rt, info.id, 'sleeping 30');
        const stopped = await rt.stop(info.id, { timeoutMs: 5_000 });
        expect(stopped.exit?.exitCode).toBe(143);
        await rt.remove(info.id);
        expect(existsSync(info.paths.dir)).toBe(false);
      }
      expect(await rt.list()).toEqual([]);
      expect(world.kernel.launched).toHaveLength(20);
      for (const r of world.kernel.launched) {
        expect(await world.kernel.processAlive(r.container)).toBe(false);
        expect(await world.kernel.processAlive(r.monitor)).toBe(false);
      }
      expect(mountsUnder(world.dir)).toEqual([]);
    });

    it('sees a container killed behind its back as exited, with the monitor\'s status', async () => {
      const rt = world.runtime;
      const info = await rt.create(world.spec('victim', ['probe', 'sleep', '30']));
      const started = await rt.start('victim');
      process.kill(started.pid ?? 0, 'SIGKILL');
      expect(await rt.wait('victim')).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      expect((await rt.inspect(info.id)).status).toBe('exited');
      await rt.remove('victim');
    });
  });
});
