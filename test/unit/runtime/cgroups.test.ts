import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { FakeCgroups } from './fake-cgroups.js';
import { RuntimeFixture } from './runtime-fixture.js';

const LIMITS = { memoryBytes: 32 << 20, pids: 20, cpus: 0.5 };

describe('containers in their own cgroups', () => {
  let f: RuntimeFixture;
  let cgroups: FakeCgroups;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
    cgroups = new FakeCgroups();
    f.cgroups = cgroups;
    f.runtime = f.makeRuntime();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('makes the cgroup afresh with the spec\'s limits at each start, and launches the container inside it', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'exit', '0'], { resources: LIMITS }));
    expect(cgroups.calls).toEqual([]);
    await f.runtime.start('web');
    await f.runtime.start('web');
    const id = info.id.slice(0, 4);
    expect(cgroups.calls).toEqual([`create ${id} ${JSON.stringify(LIMITS)}`, `create ${id} ${JSON.stringify(LIMITS)}`]);
    expect(f.kernel.launched.map((p) => p.cgroups)).toEqual([[`/cg/v2/tscompose/${info.id}`], [`/cg/v2/tscompose/${info.id}`]]);
    expect(JSON.parse(await readFile(info.paths.config, 'utf8')).linux.resources).toEqual({
      memory: { limit: 32 << 20 }, cpu: { quota: 50_000, period: 100_000 }, pids: { limit: 20 },
    });
  });

  it('removes the cgroup with the container, and a launch that failed leaves none', async () => {
    const info = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30'], { resources: LIMITS }));
    f.kernel.failNextLaunch(new TscError('KERNEL_EPERM', 'start `web`: mount: EPERM'));
    await expect(f.runtime.start('web')).rejects.toMatchObject({ code: 'KERNEL_EPERM' });
    expect(cgroups.live.size).toBe(0);
    await f.runtime.start('web');
    expect([...cgroups.live.keys()]).toEqual([info.id]);
    await f.runtime.remove('web', { force: true });
    expect(cgroups.live.size).toBe(0);
    expect(cgroups.calls.at(-1)).toBe(`remove ${info.id.slice(0, 4)}`);
  });

  it('does not launch when the cgroup cannot be made, and records why', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30'], { resources: LIMITS }));
    cgroups.failNextCreate(new TscError('KERNEL_EPERM', 'cgroup `tscompose/x`: create /sys/fs/cgroup/memory/tscompose: EACCES'));
    await expect(f.runtime.start('web')).rejects.toMatchObject({
      code: 'KERNEL_EPERM', message: 'start `web`: cgroup `tscompose/x`: create /sys/fs/cgroup/memory/tscompose: EACCES',
    });
    expect(f.kernel.launched).toEqual([]);
    expect(await f.runtime.inspect('web')).toMatchObject({ status: 'created', error: expect.stringContaining('EACCES') });
  });

  it('refuses limits out of range when the container is created', async () => {
    await expect(f.runtime.create(f.spec('web', ['probe', 'exit', '0'], { resources: { pids: 0 } }))).rejects.toMatchObject({
      code: 'CONTAINER_START', message: 'create `web`: invalid resource limit: pids 0',
    });
    expect(await f.containerDirs()).toEqual([]);
  });

  it('reports a SIGKILL by the OOM killer as oomKilled, and other SIGKILLs and exits not', async () => {
    const web = await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    cgroups.oomKill(web.id);
    await f.runtime.kill('web', 'SIGKILL');
    expect(await f.runtime.wait('web')).toMatchObject({ signal: 'SIGKILL', oomKilled: true });
    expect(await f.runtime.inspect('web')).toMatchObject({ status: 'exited', oomKilled: true });
    expect(await f.runtime.stop('web')).toMatchObject({ oomKilled: true, exit: { oomKilled: true } });

    await f.runtime.create(f.spec('db', ['probe', 'sleep', '30']));
    await f.runtime.start('db');
    await f.runtime.kill('db', 'SIGKILL');
    expect((await f.runtime.wait('db')).oomKilled).toBeUndefined();
    expect((await f.runtime.inspect('db')).oomKilled).toBe(false);

    const job = await f.runtime.create(f.spec('job', ['probe', 'sleep', '30']));
    await f.runtime.start('job');
    cgroups.oomKill(job.id);
    await f.runtime.stop('job', { timeoutMs: 1000 });
    expect(await f.runtime.inspect('job')).toMatchObject({ exit: { exitCode: 143 }, oomKilled: false });
  });

  it('gives the cgroup\'s counts through stats(), none for a container never started', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    expect(await f.runtime.stats('web')).toBeUndefined();
    await f.runtime.start('web');
    expect(await f.runtime.stats('web')).toEqual({ memoryBytes: 4096, cpuNanos: 1000, pids: 1, oomKills: 0 });
  });
});

describe('containers without a cgroup manager', () => {
  it('run without cgroups, their limits checked but not applied', async () => {
    const f = await RuntimeFixture.create();
    try {
      await f.runtime.create(f.spec('web', ['probe', 'exit', '0'], { resources: LIMITS }));
      await f.runtime.start('web');
      expect(f.kernel.launched[0]?.cgroups).toBeUndefined();
      expect(await f.runtime.stats('web')).toBeUndefined();
    } finally {
      await f.cleanup();
    }
  });
});
