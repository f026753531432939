import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { untilLogged } from '../../unit/runtime/runtime-conformance.js';
import { cgroupWorldPerTest } from '../cgroups/cgroup-world.js';
import { hostCgroups } from '../cgroups/host-cgroups.js';
import { waitForLog } from './harness.js';
import { nativesReady, type LinuxWorld } from './runtime-world.js';

const host = hostCgroups();
const ready = nativesReady && host.manager.kind !== 'none';

/** What the freezer says of a container's cgroup: true when frozen. */
function frozen(id: string): boolean {
  const dir = host.dirOf('freezer', id);
  if (host.manager.kind === 'v1') return readFileSync(join(dir, 'freezer.state'), 'utf8').trim() === 'FROZEN';
  return /^frozen 1$/m.test(readFileSync(join(dir, 'cgroup.events'), 'utf8'));
}

/** The state letter of /proc/<pid>/status. */
const processState = (pid: number): string => /^State:\s+(\S)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';

afterAll(() => {
  expect(host.leftovers()).toEqual([]);
});

describe.skipIf(!ready)(`pause, unpause, restart and the cgroup namespace (${host.manager.kind})`, () => {
  let world: LinuxWorld;
  cgroupWorldPerTest(host, (w) => (world = w));

  it('freezes a paused container\'s processes and lets them go on when unpaused', async () => {
    const rt = world.runtime;
    const info = await rt.create(world.spec('frozen', ['probe', 'sleep', '60']));
    const started = await rt.start(info.id);
    const pid = started.pid ?? 0;
    await untilLogged(rt, info.id, 'sleeping 60');

    const paused = await rt.pause(info.id);
    expect(paused.status).toBe('paused');
    expect(frozen(info.id)).toBe(true);
    // v1 freezes tasks in the refrigerator (D); v2 stops them in a sleep of its own (S).
    expect(['D', 'S']).toContain(processState(pid));
    expect((await rt.inspect(info.id)).status).toBe('paused');
    expect((await rt.list()).map((c) => c.status)).toEqual(['paused']);
    const again = await rt.pause(info.id).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(TscError);
    expect((again as TscError).code).toBe('CONTAINER_BAD_STATE');

    const resumed = await rt.unpause(info.id);
    expect(resumed.status).toBe('running');
    expect(frozen(info.id)).toBe(false);
    // It runs again: a signal gets its answer.
    process.kill(pid, 'SIGUSR1');
    await waitForLog(info.paths.logFile, 'stdout', 'signal 10');
    expect((await rt.unpause(info.id).catch((e: unknown) => e) as TscError).code).toBe('CONTAINER_BAD_STATE');
    await rt.stop(info.id, { timeoutMs: 10_000 });
    await rt.remove(info.id);
  });

  it('stops and kills a paused container by thawing it first', async () => {
    const rt = world.runtime;
    await rt.create(world.spec('stop-me', ['probe', 'sleep', '60']));
    await rt.start('stop-me');
    await untilLogged(rt, 'stop-me', 'sleeping 60');
    await rt.pause('stop-me');
    // The stop signal reaches a thawed process, which answers it: exit 143, no SIGKILL needed.
    const stopped = await rt.stop('stop-me', { timeoutMs: 30_000 });
    expect(stopped.exit).toMatchObject({ exitCode: 143, signal: null });

    await rt.create(world.spec('kill-me', ['probe', 'sleep', '60']));
    await rt.start('kill-me');
    await untilLogged(rt, 'kill-me', 'sleeping 60');
    await rt.pause('kill-me');
    await rt.kill('kill-me', 'SIGTERM');
    expect(await rt.wait('kill-me')).toMatchObject({ exitCode: 143, signal: null });
    await rt.remove('stop-me');
    await rt.remove('kill-me');
  });

  it('restarts a running or paused container as a new process', async () => {
    const rt = world.runtime;
    const info = await rt.create(world.spec('again', ['probe', 'sleep', '60']));
    const first = await rt.start(info.id);
    await untilLogged(rt, info.id, 'sleeping 60');
    await rt.pause(info.id);
    const second = await rt.restart(info.id, { timeoutMs: 10_000 });
    expect(second.status).toBe('running');
    expect(second.pid).not.toBe(first.pid);
    expect(frozen(info.id)).toBe(false);
    await waitForLog(info.paths.logFile, 'stdout', 'signal 15\nsleeping 60\n');
    await rt.remove(info.id, { force: true });
  });

  it('gives the container a cgroup namespace rooted at its own cgroup', async () => {
    const rt = world.runtime;
    const info = await rt.create(world.spec('cgns', ['sh', '-c', 'cat /proc/self/cgroup; echo end; exec sleep 60']));
    const started = await rt.start(info.id);
    const pid = started.pid ?? 0;
    await waitForLog(info.paths.logFile, 'stdout', 'end\n');
    // From the host: in its own cgroup, in a cgroup namespace that is not the host's.
    const hostView = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').filter(Boolean);
    expect(hostView.join('\n')).toContain(`/${host.parent}/${info.id}`);
    expect(readlinkSync(`/proc/${pid}/ns/cgroup`)).not.toBe(readlinkSync('/proc/self/ns/cgroup'));
    // From inside: every hierarchy shows its cgroup as the root.
    let inside = '';
    for await (const r of rt.logs(info.id)) inside += r.log;
    const lines = inside.split('\n').filter((l) => l !== '' && l !== 'end');
    expect(lines).toHaveLength(hostView.length);
    for (const line of lines) expect(line).toMatch(/:\/$/);
    await rt.remove(info.id, { force: true });
  });
});
