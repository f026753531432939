import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/runtime.js';
import { HOST, RuntimeFixture } from './runtime-fixture.js';

describe('create', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('writes the record and an OCI config.json, and runs nothing', async () => {
    const info = await f.runtime.create(f.spec('web-1', ['probe', 'sleep', '1'], { labels: { 'com.docker.compose.service': 'web' }, process: { args: ['probe'], user: 'user' } }));
    expect(info).toMatchObject({ name: 'web-1', status: 'created', restartCount: 0, createdAt: '2024-05-01T12:00:00.000Z', labels: { 'com.docker.compose.service': 'web' } });
    const state = JSON.parse(await readFile(info.paths.state, 'utf8'));
    expect(state).toMatchObject({ version: 1, id: info.id, status: 'created', user: { uid: 1000, gid: 1000, additionalGids: [1001], home: '/home/user' } });
    const config = JSON.parse(await readFile(info.paths.config, 'utf8'));
    expect(config.process.user).toEqual({ uid: 1000, gid: 1000, umask: 0o022, additionalGids: [1001] });
    expect(config.hostname).toBe(info.id.slice(0, 12));
    expect(f.kernel.launched).toEqual([]);
  });

  it('resolves the user through an overlay\'s layers', async () => {
    const [upper, lower] = [join(f.rootfs, '..', 'upper'), join(f.rootfs, '..', 'lower')];
    await mkdir(join(lower, 'etc'), { recursive: true });
    await mkdir(upper);
    await writeFile(join(lower, 'etc/passwd'), 'app:x:70:80::/srv:/bin/false\n');
    const rootfs = { path: join(f.rootfs, '..', 'merged'), overlay: { lowerdirs: [lower], upperdir: upper, workdir: join(f.rootfs, '..', 'work') } };
    const info = await f.runtime.create(f.spec('app', ['probe'], { rootfs, process: { args: ['probe'], user: 'app' } }));
    expect(JSON.parse(await readFile(info.paths.state, 'utf8')).user).toEqual({ uid: 70, gid: 80, additionalGids: [], home: '/srv' });
  });

  it('names the container in spec errors and leaves nothing behind', async () => {
    await expect(f.runtime.create(f.spec('caps', ['probe'], { capabilities: { add: ['SYS_RESOURCE'] } }))).rejects.toMatchObject({
      code: 'CONTAINER_START', message: 'create `caps`: capability CAP_SYS_RESOURCE is not available on this host',
    });
    await expect(f.runtime.create(f.spec('lim', ['probe'], { rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 1e6 }] }))).rejects.toMatchObject({
      message: 'create `lim`: ulimit nofile: hard limit 1000000 is above the host\'s hard limit 20000',
    });
    await expect(f.runtime.create(f.spec('nocmd', []))).rejects.toMatchObject({ message: 'create `nocmd`: no command specified' });
    await expect(f.runtime.create(f.spec('-bad', ['probe']))).rejects.toMatchObject({ code: 'CONTAINER_START', message: 'create `-bad`: invalid container name "-bad"' });
    expect(await f.containerDirs()).toEqual([]);
  });

  it('lets only one of two simultaneous creates have a name', async () => {
    const results = await Promise.allSettled([f.runtime.create(f.spec('db', ['probe'])), f.makeRuntime().create(f.spec('db', ['probe']))]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await f.runtime.list()).map((c) => c.name)).toEqual(['db']);
    expect(await f.containerDirs()).toHaveLength(1);
  });

  it('refuses an id generator that does not give 64 hex digits', async () => {
    const rt = new Runtime({ kernel: f.kernel, paths: f.paths, clock: f.clock, ids: () => 'abc', hostFacts: async () => HOST });
    await expect(rt.create(f.spec('x', ['probe']))).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(existsSync(f.paths.containers)).toBe(false);
  });
});
