import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { RuntimeFixture } from './runtime-fixture.js';

describe('start and stop', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('launches the plan built from the record, and records both processes', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30'], { process: { args: ['probe', 'sleep', '30'], env: ['A=1'] } }));
    const started = await f.runtime.start('web');
    const plan = f.kernel.launched[0];
    expect(plan?.args).toEqual(['probe', 'sleep', '30']);
    expect(plan?.env).toContain('A=1');
    expect(plan?.exitFile).toBe(info.paths.exitFile);
    expect(started).toMatchObject({ status: 'running', pid: 1000, startedAt: '2024-05-01T12:00:00.000Z' });
    expect((await f.runtime.inspect('web')).pid).toBe(1000);
  });

  it('clears the last run\'s exit status when started again, and counts restarts only when asked', async () => {
    await f.runtime.create(f.spec('job', ['probe', 'exit', '4']));
    await f.runtime.start('job');
    expect((await f.runtime.inspect('job')).exit?.exitCode).toBe(4);
    await writeFile((await f.runtime.inspect('job')).paths.exitFile, '{"stale": true}');
    const again = await f.runtime.start('job', { countRestart: true });
    expect(again.exit).toBeUndefined();
    expect(again.restartCount).toBe(1);
    expect((await f.runtime.inspect('job')).exit?.exitCode).toBe(4);
    await f.runtime.start('job');
    expect((await f.runtime.inspect('job')).restartCount).toBe(1);
  });

  it('keeps a container whose launch failed as it was, with the error, and passes the error on', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    f.kernel.failNextLaunch(new TscError('KERNEL_EPERM', 'start `web`: mount: EPERM'));
    await expect(f.runtime.start('web')).rejects.toMatchObject({ code: 'KERNEL_EPERM' });
    expect(await f.runtime.inspect('web')).toMatchObject({ status: 'created', error: 'start `web`: mount: EPERM' });
    f.kernel.failNextLaunch(new Error('boom'));
    await expect(f.runtime.start('web')).rejects.toMatchObject({ code: 'INTERNAL', message: 'start `web`: boom' });
    expect((await f.runtime.start('web')).error).toBeUndefined();
  });

  it('lets only one of two simultaneous starts launch', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    const results = await Promise.allSettled([f.runtime.start('web'), f.makeRuntime().start('web')]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(f.kernel.launched).toHaveLength(1);
  });

  it('sends the spec\'s stop signal and records the exit', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30'], { stopSignal: 'SIGQUIT' }));
    await f.runtime.start('web');
    const stopped = await f.runtime.stop('web');
    expect(f.kernel.signals.map((s) => s.signal)).toEqual(['SIGQUIT']);
    expect(stopped).toMatchObject({ status: 'exited', exit: { exitCode: 131 }, finishedAt: expect.any(String) });
    expect(stopped.pid).toBeUndefined();
  });

  it('waits the grace period of the call, else of the spec, else 10 s, then sends SIGKILL', async () => {
    for (const [name, spec, call, waited] of [['a', undefined, undefined, 10_000], ['b', 2_000, undefined, 2_000], ['c', 2_000, 500, 500]] as const) {
      await f.runtime.create(f.spec(name, ['probe', 'ignore-term'], spec === undefined ? {} : { stopGracePeriodMs: spec }));
      await f.runtime.start(name);
      const before = f.clock.monotonic();
      const stopped = await f.runtime.stop(name, call === undefined ? {} : { timeoutMs: call });
      expect(f.clock.monotonic() - before).toBeGreaterThanOrEqual(waited);
      expect(f.clock.monotonic() - before).toBeLessThan(waited + 200);
      expect(stopped.exit).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    }
    expect(f.kernel.signals.map((s) => s.signal)).toEqual(['SIGTERM', 'SIGKILL', 'SIGTERM', 'SIGKILL', 'SIGTERM', 'SIGKILL']);
  });

  it('sends SIGKILL at once with a zero timeout', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    expect((await f.runtime.stop('web', { timeoutMs: 0 })).exit?.signal).toBe('SIGKILL');
    expect(f.kernel.signals.map((s) => s.signal)).toEqual(['SIGKILL']);
  });

  it('does nothing to a container that is not running', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'exit', '0']));
    expect((await f.runtime.stop('web')).status).toBe('created');
    await f.runtime.start('web');
    expect((await f.runtime.stop('web')).exit?.exitCode).toBe(0);
    expect(f.kernel.signals).toEqual([]);
    expect(existsSync(info.paths.state)).toBe(true);
  });

  it('gives up with TIMEOUT when SIGKILL does not end it', async () => {
    await f.runtime.create(f.spec('stuck', ['probe', 'ignore-term']));
    const started = await f.runtime.start('stuck');
    const real = f.kernel.signal.bind(f.kernel);
    f.kernel.signal = async (ref, signal) => (signal === 'SIGKILL' ? true : real(ref, signal));
    await expect(f.runtime.stop('stuck', { timeoutMs: 100 })).rejects.toMatchObject({
      code: 'TIMEOUT', message: 'stop `stuck`: still running 10000 ms after SIGKILL',
    });
    f.kernel.signal = real;
    await f.kernel.signal({ pid: started.pid ?? 0, startTime: f.kernel.running()[0]?.startTime ?? 0 }, 'SIGKILL');
    expect(f.kernel.running()).toEqual([]);
  });
});
