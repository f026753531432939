import { describe, expect, it } from 'vitest';
import { TEST_IMAGES } from '../../../src/image/test-images/index.js';
import { pruneLayers } from '../../../src/image/prune-layers.js';
import { loadPruneStore, tempDirPerTest } from './prune-store.js';

describe('pruneLayers', () => {
  const dir = tempDirPerTest('tsc-prune-');

  it('keeps layers an image or a snapshot uses and removes the others', async () => {
    const { images, layers, snapshots, busybox, crafted, craftedDirs } = await loadPruneStore(dir());
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
