import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore, type LayerUnpacked } from '../../../src/image/layer-store.js';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import { OverlaySnapshotter } from '../../../src/snapshot/overlay-snapshotter.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { MountTracker, isRoot, mountsUnder } from './support/mounts.js';

describe.skipIf(!isRoot)('two snapshots of one image', () => {
  let dir: string;
  const mounts = new MountTracker();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-shared-'));
  });
  afterEach(async () => {
    await mounts.releaseAll();
    expect(await mountsUnder(dir)).toEqual([]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('share the layer directories, and the second one unpacks nothing', async () => {
    const archives = await buildTestImages(join(dir, 'archives'));
    const images = new ImageStore(join(dir, 'images'));
    await images.loadArchive(archives[TEST_IMAGES.layers] as string);
    const unpacked: LayerUnpacked[] = [];
    const layers = new LayerStore(join(dir, 'layers'), { fsOps: new LinuxFsOps(), onUnpack: (e) => unpacked.push(e) });
    const snapshots = new OverlaySnapshotter(join(dir, 'snapshots'));

    const firstDirs = await layers.ensureAll(await images.layerSources(TEST_IMAGES.layers));
    const [first] = await snapshots.prepare('first', firstDirs);
    expect(unpacked).toHaveLength(3);
    const secondDirs = await layers.ensureAll(await images.layerSources(TEST_IMAGES.layers));
    const [second] = await snapshots.prepare('second', secondDirs);
    expect(unpacked).toHaveLength(3);
    expect(layers.unpackCount).toBe(3);
    expect(secondDirs).toEqual(firstDirs);
    const lower = (m: typeof first): string | undefined => m?.options.find((o) => o.startsWith('lowerdir='));
    expect(lower(second)).toBe(lower(first));
    expect(second?.options).not.toEqual(first?.options);

    const a = join(dir, 'a');
    const b = join(dir, 'b');
    await mkdir(a);
    await mkdir(b);
    await mounts.mount(first!, a);
    await mounts.mount(second!, b);
    await writeFile(join(a, 'etc/app.conf'), 'edited in a\n');
    expect(await readFile(join(b, 'etc/app.conf'), 'utf8')).toBe('version=3\n');
    expect(await readFile(join(a, 'etc/app.conf'), 'utf8')).toBe('edited in a\n');
  });
});
