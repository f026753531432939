import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OverlaySnapshotter } from '../../../src/snapshot/overlay-snapshotter.js';
import { describeSnapshotter } from '../../unit/snapshot/snapshotter-conformance.js';
import { MountTracker, isRoot, mountAt, mountsUnder, unmount } from './support/mounts.js';

describe.skipIf(!isRoot)('OverlaySnapshotter with real mounts', () => {
  describeSnapshotter('OverlaySnapshotter', async (root) => {
    let n = 0;
    return {
      snapshotter: new OverlaySnapshotter(join(root, 'snapshots')),
      view: async (mounts) => {
        const [mount] = mounts;
        expect(mounts).toHaveLength(1);
        const target = join(root, `mnt-${n++}`);
        await mkdir(target);
        await mountAt(mount!, target);
        return {
          dir: target,
          release: async () => {
            await unmount(target);
            expect(await mountsUnder(target)).toEqual([]);
          },
        };
      },
    };
  });

  describe('an image of 150 layers', () => {
    let root: string;
    const mounts = new MountTracker();

    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'tsc-many-'));
    });
    afterEach(async () => {
      await mounts.releaseAll();
      expect(await mountsUnder(root)).toEqual([]);
      await rm(root, { recursive: true, force: true });
    });

    it('mounts with paths relative to the returned cwd, every layer visible, the top one winning', async () => {
      const layers: string[] = [];
      for (let i = 0; i < 150; i++) {
        const layer = join(root, 'layers', `${'f'.repeat(60)}${String(i).padStart(4, '0')}`);
        await mkdir(layer, { recursive: true });
        await writeFile(join(layer, `only-${i}`), String(i));
        await writeFile(join(layer, 'top'), String(i));
        layers.push(layer);
      }
      const snapshotter = new OverlaySnapshotter(join(root, 'snapshots'));
      const [mount] = await snapshotter.prepare('many', layers);
      expect(mount?.cwd).toBe(snapshotter.root);
      const target = join(root, 'mnt');
      await mkdir(target);
      await mounts.mount(mount!, target);
      expect(await readFile(join(target, 'top'), 'utf8')).toBe('149');
      expect(await readFile(join(target, 'only-0'), 'utf8')).toBe('0');
      expect(await readFile(join(target, 'only-77'), 'utf8')).toBe('77');
    });
  });
});
