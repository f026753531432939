import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateRecord, type ContainerRecord } from '../../../src/runtime/container-record.js';
import { ContainerStore } from '../../../src/runtime/container-store.js';
import { RuntimeFixture } from './runtime-fixture.js';

const record = (id: string, name: string, createdAt = '2024-05-01T12:00:00.000Z'): ContainerRecord => ({
  version: 1, id, name, labels: { app: 'x' },
  spec: { name, labels: { app: 'x' }, image: { reference: 'busybox' }, rootfs: { path: '/r' }, process: { args: ['sh'] } },
  user: { uid: 0, gid: 0, additionalGids: [], home: '/root' },
  status: 'created', createdAt, restartCount: 0,
});

describe('container records', () => {
  let f: RuntimeFixture;
  let store: ContainerStore;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
    store = new ContainerStore(f.paths);
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('validates every field and names the first wrong one', () => {
    const good = record('a'.repeat(64), 'web');
    expect(validateRecord(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(() => validateRecord({ ...good, id: 'abc' })).toThrow('field `id` is missing or wrong');
    expect(() => validateRecord({ ...good, status: 'zombie' })).toThrow('field `status`');
    expect(() => validateRecord({ ...good, status: 'running' })).toThrow('field `container`');
    expect(() => validateRecord({ ...good, spec: { ...good.spec, name: 'other' } })).toThrow('field `spec`');
    expect(() => validateRecord({ ...good, exit: { pid: 1 } })).toThrow('field `exit`');
    expect(() => validateRecord({ ...good, restartCount: -1 })).toThrow('field `restartCount`');
    expect(() => validateRecord([])).toThrow('not a JSON object');
  });

  it('writes state.json under containers/<id>/ and lists records oldest first, skipping half-created dirs', async () => {
    const a = record('a'.repeat(64), 'web', '2024-05-01T12:00:02.000Z');
    const b = record('b'.repeat(64), 'db', '2024-05-01T12:00:01.000Z');
    await store.write(a);
    await store.write(b);
    await mkdir(join(f.paths.containers, 'c'.repeat(64)), { recursive: true });
    expect(store.pathsOf(a.id).state).toBe(join(f.paths.containers, a.id, 'state.json'));
    expect((await store.list()).map((r) => r.name)).toEqual(['db', 'web']);
  });

  it('finds by id, name or unique prefix, and says when it cannot', async () => {
    await store.write(record(`ab${'1'.repeat(62)}`, 'web'));
    await store.write(record(`ac${'2'.repeat(62)}`, 'db'));
    expect((await store.find(`ab${'1'.repeat(62)}`)).name).toBe('web');
    expect((await store.find('db')).name).toBe('db');
    expect((await store.find('ab')).name).toBe('web');
    await expect(store.find('a')).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND', message: 'container id prefix "a" is ambiguous: it matches 2 containers' });
    await expect(store.find('cache')).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND', message: 'no such container: cache' });
  });

  it('reports a damaged record as STATE_CORRUPT instead of trusting it', async () => {
    const id = 'd'.repeat(64);
    await mkdir(join(f.paths.containers, id), { recursive: true });
    await writeFile(join(f.paths.containers, id, 'state.json'), '{"version":1,"id":"nope"}');
    await expect(store.read(id)).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });

  it('deletes a container directory and refuses a bad id', async () => {
    const a = record('e'.repeat(64), 'web');
    await store.write(a);
    await store.delete(a.id);
    expect(await store.read(a.id)).toBeUndefined();
    expect(await f.containerDirs()).toEqual([]);
    await expect(store.delete('..')).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
