import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { LogRecord } from '../../../src/runtime/log-record.js';
import { waitFor } from './harness.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

async function stdoutOf(records: AsyncIterable<LogRecord>): Promise<string> {
  let out = '';
  for await (const r of records) if (r.stream === 'stdout') out += r.log;
  return out;
}

/** Host pids, names and states of the processes in the pid namespace of `pid` (read from the host's /proc). */
function namespaceProcesses(pid: number): { pid: number; comm: string; state: string }[] {
  const ns = readlinkSync(`/proc/${pid}/ns/pid`);
  const out: { pid: number; comm: string; state: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/pid`) !== ns) continue;
      const state = /^State:\s+(\S)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] ?? '?';
      out.push({ pid: Number(entry), comm: readFileSync(`/proc/${entry}/comm`, 'utf8').trim(), state });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

describe.skipIf(!nativesReady)('init and sysctls on the Linux kernel', () => {
  let world: LinuxWorld;
  beforeEach(async () => {
    world = await linuxWorld();
  });
  afterEach(async () => {
    expect(await world.cleanup()).toEqual([]);
  });

  describe('init: true', () => {
    it('runs a reaping init as PID 1 and the command as its child', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('with-init', ['sh', '-c', 'echo "pid=$$ ppid=$PPID init=$(cat /proc/1/comm)"'], { init: true }));
      await rt.create(world.spec('without', ['sh', '-c', 'echo "pid=$$"']));
      await rt.start('with-init');
      await rt.start('without');
      expect((await rt.wait('with-init')).exitCode).toBe(0);
      expect((await rt.wait('without')).exitCode).toBe(0);
      expect(await stdoutOf(rt.logs('with-init'))).toBe('pid=2 ppid=1 init=tsc-init\n');
      expect(await stdoutOf(rt.logs('without'))).toBe('pid=1\n');
      await rt.remove('with-init');
      await rt.remove('without');
    });

    it('passes the command\'s exit status on', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('exits', ['probe', 'exit', '7'], { init: true }));
      await rt.start('exits');
      expect(await rt.wait('exits')).toMatchObject({ exitCode: 7, signal: null });
      await rt.remove('exits');
    });

    it('forwards SIGTERM, so a command without a handler ends by it at once rather than by SIGKILL', async () => {
      const rt = world.runtime;
      await rt.create(world.spec('sleeper', ['sleep', '1000'], { init: true }));
      await rt.start('sleeper');
      // A generous grace period: only the forwarded SIGTERM can end it before that.
      const stopped = await rt.stop('sleeper', { timeoutMs: 60_000 });
      expect(stopped.exit).toMatchObject({ exitCode: 143, signal: null });
      await rt.remove('sleeper');

      // Without init, `sleep` is PID 1, where a signal without a handler is ignored: only SIGKILL ends it.
      await rt.create(world.spec('pid1', ['sleep', '1000']));
      await rt.start('pid1');
      const killed = await rt.stop('pid1', { timeoutMs: 300 });
      expect(killed.exit).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
      await rt.remove('pid1');
    });

    it('reaps orphans that a command which never waits leaves behind', async () => {
      const rt = world.runtime;
      // Three orphans that end once the shell has become `sleep`, which never waits for anyone.
      const orphan = '(while [ "$(cat /proc/$s/comm)" != sleep ]; do sleep 0.01; done &)';
      const script = `s=$$; ${orphan}; ${orphan}; ${orphan}; exec sleep 1000`;
      const withInit = await rt.start((await rt.create(world.spec('reaped', ['sh', '-c', script], { init: true }))).id);
      const without = await rt.start((await rt.create(world.spec('zombies', ['sh', '-c', script]))).id);
      // Without init the orphans are zombies of `sleep` (PID 1): all three stay.
      const zombies = await waitFor('three zombies', async () => {
        const z = namespaceProcesses(without.pid ?? 0).filter((p) => p.state === 'Z');
        return z.length === 3 ? z : undefined;
      });
      expect(zombies).toHaveLength(3);
      // With init they are reaped: once the shell is `sleep` (it made the orphans before), init and
      // `sleep` are all that is left, and neither is a zombie.
      const left = await waitFor('init and sleep alone', async () => {
        const ps = namespaceProcesses(withInit.pid ?? 0);
        return ps.length === 2 && ps.some((p) => p.comm === 'sleep') ? ps : undefined;
      });
      expect(left.map((p) => p.state)).not.toContain('Z');
      expect(left.find((p) => p.pid === withInit.pid)?.comm).toBe('tsc-init');
      await rt.remove('reaped', { force: true });
      await rt.remove('zombies', { force: true });
    });
  });

  describe('sysctls', () => {
    it('sets namespaced sysctls inside the container, then leaves /proc/sys read-only', async () => {
      const rt = world.runtime;
      const hostForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');
      const hostShmmax = readFileSync('/proc/sys/kernel/shmmax', 'utf8');
      const script = 'cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max; '
        + '(echo 0 > /proc/sys/net/ipv4/ip_forward) 2>/dev/null && echo writable || echo read-only';
      await rt.create(world.spec('tuned', ['sh', '-c', script], {
        sysctls: { 'net.ipv4.ip_forward': '1', 'kernel/shmmax': '68719476736', 'fs.mqueue.msg_max': '64' },
      }));
      await rt.start('tuned');
      expect((await rt.wait('tuned')).exitCode).toBe(0);
      expect(await stdoutOf(rt.logs('tuned'))).toBe('1\n68719476736\n64\nread-only\n');
      expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8')).toBe(hostForward);
      expect(readFileSync('/proc/sys/kernel/shmmax', 'utf8')).toBe(hostShmmax);
      await rt.remove('tuned');
    });

    it('refuses at create a sysctl that is not namespaced, or net.* with the host network, leaving nothing', async () => {
      const rt = world.runtime;
      const refused = async (name: string, overrides: Parameters<LinuxWorld['spec']>[2]): Promise<TscError> => {
        const err = await rt.create(world.spec(name, ['true'], overrides)).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TscError);
        return err as TscError;
      };
      const vm = await refused('vm', { sysctls: { 'vm.swappiness': '10' } });
      expect(vm.code).toBe('SYSCTL_NOT_ALLOWED');
      expect(vm.message).toContain('vm.swappiness');
      expect(vm.hint).toBeTruthy();
      const hostNet = await refused('hostnet', { sysctls: { 'net.ipv4.ip_forward': '1' }, network: 'host' });
      expect(hostNet.code).toBe('SYSCTL_NOT_ALLOWED');
      expect(hostNet.message).toContain('net.ipv4.ip_forward');
      expect((await refused('kernel', { sysctls: { 'kernel.hostname': 'x' } })).code).toBe('SYSCTL_NOT_ALLOWED');
      expect(await rt.list()).toEqual([]);
      expect(existsSync(world.paths.containers) ? readdirSync(world.paths.containers) : []).toEqual([]);
    });
  });
});
