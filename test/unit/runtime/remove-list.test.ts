import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/runtime.js';
import { sleepingTickers } from '../../../src/runtime/ticker.js';
import { HOST, RuntimeFixture, countingIds } from './runtime-fixture.js';

describe('remove, list and inspect', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('calls onRemove with the container, then deletes its directory', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'exit', '0'], { labels: { snap: 's1' } }));
    await f.runtime.remove(info.id);
    expect(f.removed.map((r) => [r.id, r.status, r.labels.snap])).toEqual([[info.id, 'removing', 's1']]);
    expect(await f.containerDirs()).toEqual([]);
  });

  it('kills a running container when forced, without a grace period', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'ignore-term']));
    await f.runtime.start('web');
    await f.runtime.remove('web', { force: true });
    expect(f.kernel.signals.map((s) => s.signal)).toEqual(['SIGKILL']);
    expect(f.kernel.running()).toEqual([]);
    expect(await f.containerDirs()).toEqual([]);
  });

  it('leaves a container `removing` when the hook fails, and a forced remove finishes it', async () => {
    let fail = true;
    const rt = new Runtime({
      kernel: f.kernel, paths: f.paths, clock: f.clock, ids: countingIds(), hostFacts: async () => HOST,
      sleep: f.clock.sleep, tickers: sleepingTickers(f.clock.sleep),
      onRemove: async () => {
        if (fail) throw new Error('snapshot busy');
      },
    });
    const info = await rt.create(f.spec('web', ['probe', 'exit', '0']));
    await expect(rt.remove('web')).rejects.toMatchObject({ code: 'INTERNAL', message: 'remove `web`: snapshot busy' });
    expect(JSON.parse(await readFile(info.paths.state, 'utf8')).status).toBe('removing');
    await expect(rt.start('web')).rejects.toMatchObject({ message: 'cannot start container web: it is being removed' });
    fail = false;
    await rt.remove('web');
    expect(await f.containerDirs()).toEqual([]);
  });

  it('filters by labels and observed status, oldest first', async () => {
    await f.runtime.create(f.spec('a', ['probe', 'sleep', '1'], { labels: { project: 'p', service: 'web' } }));
    f.clock.advance(1000);
    await f.runtime.create(f.spec('b', ['probe', 'exit', '0'], { labels: { project: 'p', service: 'db' } }));
    f.clock.advance(1000);
    await f.runtime.create(f.spec('c', ['probe', 'exit', '0'], { labels: { project: 'q' } }));
    await f.runtime.start('a');
    await f.runtime.start('b');
    const names = async (filter: Parameters<Runtime['list']>[0]): Promise<string[]> => (await f.runtime.list(filter)).map((c) => c.name);
    expect(await names({})).toEqual(['a', 'b', 'c']);
    expect(await names({ labels: { project: 'p' } })).toEqual(['a', 'b']);
    expect(await names({ labels: { project: 'p', service: 'db' } })).toEqual(['b']);
    expect(await names({ labels: { service: true } })).toEqual(['a', 'b']);
    expect(await names({ status: ['running'] })).toEqual(['a']);
    expect(await names({ status: ['exited', 'created'] })).toEqual(['b', 'c']);
  });

  it('inspects by id, name or id prefix', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'exit', '0']));
    expect((await f.runtime.inspect(info.id)).name).toBe('web');
    expect((await f.runtime.inspect(info.id.slice(0, 63))).name).toBe('web');
    expect((await f.runtime.inspect('web')).image).toEqual({ reference: 'test/probe:latest' });
    await expect(f.runtime.inspect('nope')).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
  });
});
