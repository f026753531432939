import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore, type LayerUnpacked } from '../../../src/image/layer-store.js';
import { sha256Digest } from '../../../src/image/digest.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { FakeFsOps } from './fake-fs-ops.js';

describe('LayerStore', () => {
  let dir: string;
  let images: ImageStore;
  let root: string;
  let events: LayerUnpacked[];
  let store: LayerStore;
  let n = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-layers-'));
    const archives = await buildTestImages(join(dir, 'archives'));
    images = new ImageStore(join(dir, 'images'));
    await images.loadArchive(archives[TEST_IMAGES.layers] as string);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    root = join(dir, `layers-${n++}`);
    events = [];
    store = new LayerStore(root, { fsOps: new FakeFsOps(), ownership: false, onUnpack: (e) => events.push(e) });
  });

  it('unpacks each layer once into a directory named by its chain id', async () => {
    const sources = await images.layerSources(TEST_IMAGES.layers);
    const dirs = await store.ensureAll(sources);
    expect(dirs).toEqual(sources.map((s) => join(root, s.chainId.slice(7))));
    expect(await readFile(join(dirs[2] as string, 'etc/app.conf'), 'utf8')).toBe('version=3\n');
    expect(events.map((e) => e.chainId)).toEqual(sources.map((s) => s.chainId));
    expect(await store.ensureAll(sources)).toEqual(dirs);
    expect(store.unpackCount).toBe(3);
    expect((await store.list()).sort()).toEqual(sources.map((s) => s.chainId).sort());
  });

  it('unpacks a layer asked for twice at the same time only once', async () => {
    const [first] = await images.layerSources(TEST_IMAGES.layers);
    const [a, b] = await Promise.all([store.ensure(first!), store.ensure(first!)]);
    expect(a).toBe(b);
    expect(store.unpackCount).toBe(1);
    const other = new LayerStore(root, { fsOps: new FakeFsOps(), ownership: false });
    expect(await other.ensure(first!)).toBe(a);
    expect(other.unpackCount).toBe(0);
  });

  it('leaves nothing when a layer does not match its diff id', async () => {
    const [first] = await images.layerSources(TEST_IMAGES.layers);
    const bad = { ...first!, diffId: sha256Digest('not this layer') };
    await expect(store.ensure(bad)).rejects.toMatchObject({ code: 'IMAGE_INVALID', message: expect.stringContaining(`unpack layer ${first!.digest}`) });
    expect(await readdir(root)).toEqual([]);
    expect(store.unpackCount).toBe(0);
  });

  it('never counts a temp directory as a layer and removes those of dead processes', async () => {
    await mkdir(join(root, '.tmp-999999999-1-abcdef-0000'), { recursive: true });
    await writeFile(join(root, '.tmp-999999999-1-abcdef-0000', 'half'), '');
    await mkdir(join(root, `.tmp-${process.pid}-0-mine`));
    expect(await store.list()).toEqual([]);
    const [first] = await images.layerSources(TEST_IMAGES.layers);
    await store.ensure(first!);
    expect((await readdir(root)).sort()).toEqual([first!.chainId.slice(7)]);
  });

  it('removes a layer', async () => {
    const sources = await images.layerSources(TEST_IMAGES.layers);
    await store.ensureAll(sources);
    await store.remove(sources[0]!.chainId);
    await store.remove(sources[0]!.chainId);
    expect((await store.list()).sort()).toEqual([sources[1]!.chainId, sources[2]!.chainId].sort());
    expect(await store.has(sources[0]!.chainId)).toBe(false);
  });
});
