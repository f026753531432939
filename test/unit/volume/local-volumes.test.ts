import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { FsOps } from '../../../src/kernel/fs-ops.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalVolumes } from '../../../src/volume/local-volumes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function volumes(): { root: string; store: LocalVolumes } {
  const root = mkdtempSync(join(tmpdir(), 'tsc-vol-'));
  dirs.push(root);
  return { root, store: new LocalVolumes(root, () => new Date('2026-01-01T00:00:00Z')) };
}

describe('LocalVolumes', () => {
  it('creates a volume once, keeps its data, and lists it with its labels', async () => {
    const { store } = volumes();
    const path = (await store.ensureVolume('p_data', { 'com.docker.compose.project': 'p' })).path;
    writeFileSync(join(path, 'kept'), 'x');
    expect((await store.ensureVolume('p_data', { other: 'label' })).path).toBe(path);
    expect(existsSync(join(path, 'kept'))).toBe(true);
    expect(await store.list()).toEqual([{ name: 'p_data', driver: 'local', labels: { 'com.docker.compose.project': 'p' }, createdAt: '2026-01-01T00:00:00.000Z' }]);
  });

  it('removes a volume and refuses names that could leave its root', async () => {
    const { root, store } = volumes();
    await store.ensureVolume('v', {});
    await store.remove('v');
    expect(existsSync(join(root, 'v'))).toBe(false);
    await expect(store.ensureVolume('../x', {})).rejects.toMatchObject({ code: 'COMPOSE_INVALID' });
  });

  it('records driver options, tells whether it made the volume, and reads old records without a driver', async () => {
    const { root, store } = volumes();
    const made = await store.ensureVolume('t', { a: 'b' }, { options: { type: 'tmpfs', o: 'size=1m' } });
    expect([made.created, made.record.options]).toEqual([true, { type: 'tmpfs', o: 'size=1m' }]);
    const again = await store.ensureVolume('t', {}, { options: { type: 'none' } });
    expect([again.created, again.record.options, again.record.labels]).toEqual([false, { type: 'tmpfs', o: 'size=1m' }, { a: 'b' }]);
    writeFileSync(join(root, 't', 'volume.json'), JSON.stringify({ name: 't', labels: {}, createdAt: 'x' }));
    expect(await store.inspect('t')).toEqual({ name: 't', labels: {}, createdAt: 'x' });
    expect(await store.inspect('../t')).toBeUndefined();
    expect(await store.inspect('absent')).toBeUndefined();
  });

  it('fills nothing without filesystem operations (the copy needs them)', async () => {
    const { store } = volumes();
    const path = (await store.ensureVolume('v', {})).path;
    await store.fill(path, ['/nonexistent'], '/data');
    expect(await store.list()).toHaveLength(1);
  });

  it('fills a volume once when replicas ask at the same time, and never over data', async () => {
    const { root } = volumes();
    const fsOps: FsOps = {
      mknod: () => undefined, lsetxattr: () => undefined, lgetxattr: () => undefined, llistxattr: () => [],
      lchown: () => undefined, lutimes: () => undefined, syncfs: () => undefined,
    };
    const layer = join(root, 'layer');
    mkdirSync(join(layer, 'srv/sub'), { recursive: true });
    writeFileSync(join(layer, 'srv/a'), 'a');
    writeFileSync(join(layer, 'srv/sub/b'), 'b');
    const store = new LocalVolumes(join(root, 'volumes'), () => new Date(0), fsOps);
    const path = (await store.ensureVolume('v', {})).path;
    await Promise.all([1, 2, 3].map(() => store.fill(path, [layer], '/srv')));
    expect(readdirSync(path).sort()).toEqual(['a', 'sub']);
    expect(readFileSync(join(path, 'sub/b'), 'utf8')).toBe('b');
    writeFileSync(join(layer, 'srv/c'), 'c');
    await store.fill(path, [layer], '/srv');
    expect(readdirSync(path).sort()).toEqual(['a', 'sub']);
  });
});
