import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOST_EXIT_CODE } from '../../../src/runtime/observe.js';
import { RuntimeFixture } from './runtime-fixture.js';

describe('observed status', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('shows a container that exited while nobody watched as exited, with the monitor\'s status', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    const started = await f.runtime.start('web');
    const ref = f.kernel.running()[0];
    expect(ref?.pid).toBe(started.pid);
    await f.kernel.exit(ref!, 7, null);
    const seen = f.makeRuntime();
    expect(await seen.inspect('web')).toMatchObject({ status: 'exited', exit: { exitCode: 7 }, finishedAt: expect.any(String) });
    expect((await seen.list()).map((c) => c.status)).toEqual(['exited']);
  });

  it('shows a container whose monitor vanished without an exit file as exited with 255 and says so', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    f.kernel.crash(f.kernel.running()[0]!);
    expect(await f.runtime.inspect('web')).toMatchObject({
      status: 'exited', exit: { exitCode: LOST_EXIT_CODE, signal: null }, error: 'the container monitor ended without recording an exit status',
    });
    expect(await f.runtime.wait('web')).toMatchObject({ exitCode: 255 });
  });

  it('ignores an exit file that belongs to another process', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    await writeFile(info.paths.exitFile, JSON.stringify({ pid: 1, startTime: 1, exitCode: 0, signal: null, coreDumped: false, time: 'x' }));
    expect((await f.runtime.inspect('web')).status).toBe('running');
  });

  it('is not written by readers, only by the verbs that hold the lock', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    const started = await f.runtime.start('web');
    await f.kernel.exit(f.kernel.running()[0]!, 0, null);
    await f.runtime.inspect('web');
    const { readFile } = await import('node:fs/promises');
    expect(JSON.parse(await readFile(started.paths.state, 'utf8')).status).toBe('running');
    await f.runtime.stop('web');
    expect(JSON.parse(await readFile(started.paths.state, 'utf8'))).toMatchObject({ status: 'exited', exit: { exitCode: 0 } });
  });
});
