import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { link, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore } from '../../../src/image/layer-store.js';
import { diskUsage, pruneImages } from '../../../src/image/prune-images.js';
import { CopySnapshotter } from '../../../src/snapshot/copy-snapshotter.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { FakeFsOps } from './fake-fs-ops.js';

describe('pruneImages', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-prune-images-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('removes nameless images no container uses, then their layers, and counts the space', async () => {
    const archives = await buildTestImages(join(dir, 'archives'));
    const images = new ImageStore(join(dir, 'images'));
    const layers = new LayerStore(join(dir, 'layers'), { fsOps: new FakeFsOps(), ownership: false });
    const snapshots = new CopySnapshotter(join(dir, 'snapshots'));
    await images.loadArchive(archives[TEST_IMAGES.busybox] as string);
    await images.loadArchive(archives[TEST_IMAGES.layers] as string);
    const busybox = await layers.ensureAll(await images.layerSources(TEST_IMAGES.busybox));
    const crafted = await images.layerSources(TEST_IMAGES.layers);
    await layers.ensureAll(crafted);
    const { digest } = await images.resolve(TEST_IMAGES.layers);
    await images.remove(TEST_IMAGES.layers, { force: true, inUse: [digest] });

    expect(await pruneImages({ images, layers, snapshots }, { inUse: [digest] })).toEqual({ images: [], layers: [], bytes: 0 });
    expect((await images.list()).map((i) => [i.digest, i.names])).toContainEqual([digest, []]);

    const pruned = await pruneImages({ images, layers, snapshots }, { inUse: [] });
    expect(pruned.images).toEqual([digest]);
    expect(pruned.layers.sort()).toEqual(crafted.map((l) => l.chainId).sort());
    expect(pruned.bytes).toBeGreaterThan(0);
    expect((await images.list()).map((i) => i.digest)).not.toContain(digest);
    expect((await layers.list()).map((id) => layers.path(id))).toEqual(busybox);
    expect(await pruneImages({ images, layers, snapshots }, { inUse: [] })).toEqual({ images: [], layers: [], bytes: 0 });
  });

  it('measures disk usage counting each hardlinked file once', async () => {
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'sub', 'a'), Buffer.alloc(64 << 10, 1));
    await link(join(tree, 'sub', 'a'), join(tree, 'b'));
    const blocks = async (p: string): Promise<number> => (await stat(p)).blocks * 512;
    expect(await diskUsage(tree)).toBe((await blocks(tree)) + (await blocks(join(tree, 'sub'))) + (await blocks(join(tree, 'b'))));
    expect(await diskUsage(join(dir, 'missing'))).toBe(0);
  });
});
