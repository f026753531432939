// The stores the prune tests share: both test images loaded, their layers unpacked (fake fs ops, no
// ownership), a copying snapshotter, all in a temp dir removed after each test.
import { afterEach, beforeEach } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore, type LayerSource } from '../../../src/image/layer-store.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { CopySnapshotter } from '../../../src/snapshot/copy-snapshotter.js';
import { FakeFsOps } from './fake-fs-ops.js';

export interface PruneStore {
  readonly dir: string;
  readonly images: ImageStore;
  readonly layers: LayerStore;
  readonly snapshots: CopySnapshotter;
  /** The busybox image's unpacked layer directories. */
  readonly busybox: string[];
  /** The crafted layers image's layers, and their unpacked directories. */
  readonly crafted: LayerSource[];
  readonly craftedDirs: string[];
}

/** A fresh temp dir per test (call inside a describe); `dir()` names it. */
export function tempDirPerTest(prefix: string): () => string {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Loads both test images into stores under dir and unpacks all their layers. */
export async function loadPruneStore(dir: string): Promise<PruneStore> {
  const archives = await buildTestImages(join(dir, 'archives'));
  const images = new ImageStore(join(dir, 'images'));
  const layers = new LayerStore(join(dir, 'layers'), { fsOps: new FakeFsOps(), ownership: false });
  const snapshots = new CopySnapshotter(join(dir, 'snapshots'));
  await images.loadArchive(archives[TEST_IMAGES.busybox] as string);
  await images.loadArchive(archives[TEST_IMAGES.layers] as string);
  const busybox = await layers.ensureAll(await images.layerSources(TEST_IMAGES.busybox));
  const crafted = await images.layerSources(TEST_IMAGES.layers);
  const craftedDirs = await layers.ensureAll(crafted);
  return { dir, images, layers, snapshots, busybox, crafted, craftedDirs };
}
