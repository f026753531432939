import { describe, expect, it } from 'vitest';
import { link, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diskUsage, pruneImages } from '../../../src/image/prune-images.js';
import { TEST_IMAGES } from '../../../src/image/test-images/index.js';
import { loadPruneStore, tempDirPerTest } from './prune-store.js';

describe('pruneImages', () => {
  const tmp = tempDirPerTest('tsc-prune-images-');

  it('removes nameless images no container uses, then their layers, and counts the space', async () => {
    const { images, layers, snapshots, busybox, crafted } = await loadPruneStore(tmp());
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
    const dir = tmp();
    const tree = join(dir, 'tree');
    await mkdir(join(tree, 'sub'), { recursive: true });
    await writeFile(join(tree, 'sub', 'a'), Buffer.alloc(64 << 10, 1));
    await link(join(tree, 'sub', 'a'), join(tree, 'b'));
    const blocks = async (p: string): Promise<number> => (await stat(p)).blocks * 512;
    expect(await diskUsage(tree)).toBe((await blocks(tree)) + (await blocks(join(tree, 'sub'))) + (await blocks(join(tree, 'b'))));
    expect(await diskUsage(join(dir, 'missing'))).toBe(0);
  });
});
