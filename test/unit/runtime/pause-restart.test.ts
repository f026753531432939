import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { FakeCgroups } from './fake-cgroups.js';
import { RuntimeFixture } from './runtime-fixture.js';

/** Fake cgroups that remember freezes and thaws, interleaved with the kernel's signals. */
class FreezerLog extends FakeCgroups {
  readonly events: string[] = [];
  override async freeze(...[name = '']: string[]): Promise<void> {
    this.events.push(`freeze ${name.slice(-4)}`);
  }
  override async thaw(...[name = '']: string[]): Promise<void> {
    this.events.push(`thaw ${name.slice(-4)}`);
  }
}

const code = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(TscError);
  return (err as TscError).code;
};

describe('pause, unpause and restart', () => {
  let f: RuntimeFixture;
  let cgroups: FreezerLog;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
    cgroups = new FreezerLog();
    f.cgroups = cgroups;
    f.runtime = f.makeRuntime();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('freezes a running container and records it as paused until unpaused', async () => {
    const { id } = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start(id);
    expect((await f.runtime.pause('web')).status).toBe('paused');
    expect((await f.runtime.inspect('web')).status).toBe('paused');
    expect((await f.runtime.list()).map((c) => c.status)).toEqual(['paused']);
    expect(await code(f.runtime.pause('web'))).toBe('CONTAINER_BAD_STATE');
    expect(await code(f.runtime.start('web'))).toBe('CONTAINER_BAD_STATE');
    expect((await f.runtime.unpause('web')).status).toBe('running');
    expect(await code(f.runtime.unpause('web'))).toBe('CONTAINER_BAD_STATE');
    expect(cgroups.events).toEqual([`freeze ${id.slice(-4)}`, `thaw ${id.slice(-4)}`]);
  });

  it('refuses to pause a container that is not running', async () => {
    await f.runtime.create(f.spec('idle', ['probe', 'sleep', '30']));
    expect(await code(f.runtime.pause('idle'))).toBe('CONTAINER_BAD_STATE');
    expect(await code(f.runtime.unpause('idle'))).toBe('CONTAINER_BAD_STATE');
    expect(cgroups.events).toEqual([]);
  });

  it('thaws a paused container before stop sends its signal', async () => {
    const { id } = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start(id);
    await f.runtime.pause(id);
    const stopped = await f.runtime.stop(id, { timeoutMs: 5_000 });
    expect(stopped.status).toBe('exited');
    expect(stopped.exit?.exitCode).toBe(143);
    expect(cgroups.events).toEqual([`freeze ${id.slice(-4)}`, `thaw ${id.slice(-4)}`]);
  });

  it('thaws a paused container before kill, and records it as running', async () => {
    const { id } = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start(id);
    await f.runtime.pause(id);
    await f.runtime.kill(id, 'SIGUSR1');
    expect(cgroups.events).toEqual([`freeze ${id.slice(-4)}`, `thaw ${id.slice(-4)}`]);
    expect((await f.runtime.inspect(id)).status).toBe('running');
  });

  it('restarts: stops a running one and starts it again; starts one that is not running', async () => {
    const { id } = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    const first = await f.runtime.restart(id);
    expect(first.status).toBe('running');
    const second = await f.runtime.restart(id, { timeoutMs: 5_000 });
    expect(second.status).toBe('running');
    expect(second.pid).not.toBe(first.pid);
    expect(f.kernel.signals.map((s) => s.signal)).toEqual(['SIGTERM']);
  });

  it('cannot pause without cgroups, and says so', async () => {
    const g = await RuntimeFixture.create();
    try {
      await g.runtime.create(g.spec('web', ['probe', 'sleep', '30']));
      await g.runtime.start('web');
      const err = await g.runtime.pause('web').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TscError);
      expect((err as TscError).code).toBe('KERNEL');
      expect((err as TscError).message).toContain('pause `web`');
      expect((await g.runtime.inspect('web')).status).toBe('running');
    } finally {
      await g.cleanup();
    }
  });
});
