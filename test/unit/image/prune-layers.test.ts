import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore } from '../../../src/image/layer-store.js';
import { pruneLayers } from '../../../src/image/prune-layers.js';
import { CopySnapshotter } from '../../../src/snapshot/copy-snapshotter.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { FakeFsOps } from './fake-fs-ops.js';

describe('pruneLayers', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-prune-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps layers an image or a snapshot uses and removes the others', async () => {
    const archives = await buildTestImages(join(dir, 'archives'));
    const images = new ImageStore(join(dir, 'images'));
    const layers = new LayerStore(join(dir, 'layers'), { fsOps: new FakeFsOps(), ownership: false });
    const snapshots = new CopySnapshotter(join(dir, 'snapshots'));
    await images.loadArchive(archives[TEST_IMAGES.busybox] as string);
    await images.loadArchive(archives[TEST_IMAGES.layers] as string);
    const busybox = await layers.ensureAll(await images.layerSources(TEST_IMAGES.busybox));
    const crafted = await images.layerSources(TEST_IMAGES.layers);
    const craftedDirs = await layers.ensureAll(crafted);
    await snapshots.prepare('uses-first-layer', [craftedDirs[0] as string]);

    expect(await pruneLayers({ images, layers, snapshots })).toEqual([]);

    await images.remove(TEST_IMAGES.layers);
    expect((await pruneLayers({ images, layers, snapshots })).sort()).toEqual([crafted[1]!.chainId, crafted[2]!.chainId].sort());
    expect(await layers.has(crafted[0]!.chainId)).toBe(true);

    await snapshots.remove('uses-first-layer');
    expect(await pruneLayers({ images, layers, snapshots })).toEqual([crafted[0]!.chainId]);
    expect((await layers.list()).map((id) => layers.path(id))).toEqual(busybox);
  });
});
