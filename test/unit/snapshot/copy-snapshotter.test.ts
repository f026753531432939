import { describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CopySnapshotter } from '../../../src/snapshot/copy-snapshotter.js';
import { describeSnapshotter } from './snapshotter-conformance.js';

describeSnapshotter('CopySnapshotter', async (root) => {
  const snapshotter = new CopySnapshotter(join(root, 'snapshots'));
  return {
    snapshotter,
    view: async (mounts) => {
      const [mount] = mounts;
      expect(mount?.type).toBe('bind');
      return { dir: mount?.source ?? '', release: async () => undefined };
    },
  };
});

describe('CopySnapshotter', () => {
  it('leaves no staging directory behind a prepare whose layer cannot be read', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tsc-copy-'));
    try {
      const layer = join(root, 'layer');
      await mkdir(layer);
      await writeFile(join(layer, 'f'), 'x');
      const snapshotter = new CopySnapshotter(join(root, 'snapshots'));
      await snapshotter.prepare('ok', [layer]);
      await rm(layer, { recursive: true });
      await expect(snapshotter.prepare('bad', [layer])).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
      expect(await readdir(join(root, 'snapshots'))).toEqual(['ok']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
