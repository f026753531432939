import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSignal } from '../../../src/runtime/kill.js';
import { RuntimeFixture } from './runtime-fixture.js';

describe('kill and wait', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('names signals as docker kill does', () => {
    expect(['TERM', 'sigterm', 'SIGTERM', '15', 15].map(parseSignal)).toEqual(Array(5).fill('SIGTERM'));
    expect(parseSignal('hup')).toBe('SIGHUP');
    expect(() => parseSignal('NOPE')).toThrow(expect.objectContaining({ code: 'USAGE', message: 'invalid signal "NOPE"' }));
    expect(() => parseSignal(999)).toThrow(/invalid signal "999"/);
  });

  it('sends a signal to the container process, SIGKILL by default', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    const { pid } = await f.runtime.start('web');
    await f.runtime.kill('web', 'USR1');
    expect((await f.runtime.inspect('web')).status).toBe('running');
    await f.runtime.kill('web');
    expect(f.kernel.signals).toEqual([{ pid, signal: 'SIGUSR1' }, { pid, signal: 'SIGKILL' }]);
    expect(await f.runtime.wait('web')).toMatchObject({ signal: 'SIGKILL', exitCode: null });
  });

  it('refuses to kill a container that is not running', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'exit', '0']));
    await expect(f.runtime.kill('web')).rejects.toMatchObject({ code: 'CONTAINER_BAD_STATE', message: 'cannot kill container web: it is not running' });
    await f.runtime.start('web');
    await expect(f.runtime.kill('web', 'TERM')).rejects.toMatchObject({ code: 'CONTAINER_BAD_STATE' });
  });

  it('waits for a created container\'s next run', async () => {
    await f.runtime.create(f.spec('job', ['probe', 'sleep', '30']));
    const waiting = f.runtime.wait('job');
    await f.clock.sleep(10);
    await f.makeRuntime().start('job');
    await f.kernel.exit(f.kernel.running()[0]!, 9, null);
    expect(await waiting).toMatchObject({ exitCode: 9 });
  });

  it('stops waiting when aborted, and when the container is removed', async () => {
    await f.runtime.create(f.spec('job', ['probe', 'sleep', '30']));
    await f.runtime.start('job');
    const abort = new AbortController();
    const waiting = f.runtime.wait('job', { signal: abort.signal }).catch((err: unknown) => err);
    abort.abort(new Error('enough'));
    expect(await waiting).toMatchObject({ message: 'enough' });
    await f.runtime.create(f.spec('idle', ['probe', 'exit', '0']));
    const orphan = f.runtime.wait('idle').catch((err: unknown) => err);
    await f.clock.sleep(10);
    await f.runtime.remove('idle');
    expect(await orphan).toMatchObject({ code: 'CONTAINER_NOT_FOUND', message: 'wait for container idle: it was removed' });
    const killed = f.runtime.wait('job');
    await f.runtime.remove('job', { force: true });
    expect(await killed).toMatchObject({ signal: 'SIGKILL' });
  });
});
