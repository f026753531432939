import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MOUNT_OPTIONS_LIMIT, OverlaySnapshotter } from '../../../src/snapshot/overlay-snapshotter.js';

// Mounting needs root: these check the mounts the snapshotter returns; the conformance suite runs
// against real overlay mounts in test/integration/image/overlay-snapshotter.test.ts.
describe('OverlaySnapshotter (returned mounts)', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsc-ovl-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function layers(count: number): Promise<string[]> {
    const dirs: string[] = [];
    for (let i = 0; i < count; i++) {
      const dir = join(root, 'layers', `${'0'.repeat(60)}${String(i).padStart(4, '0')}`);
      await mkdir(dir, { recursive: true });
      dirs.push(dir);
    }
    return dirs;
  }

  function option(options: string[], name: string): string | undefined {
    return options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
  }

  it('returns one overlay mount with short links to the layers, top layer first, and creates its own dirs', async () => {
    const snapshotter = new OverlaySnapshotter(join(root, 'snap'));
    const [base, top] = await layers(2);
    const mounts = await snapshotter.prepare('c1', [base as string, top as string]);
    expect(mounts).toHaveLength(1);
    const [mount] = mounts;
    expect(mount).toMatchObject({ type: 'overlay', source: 'overlay' });
    expect(mount?.cwd).toBeUndefined();
    const lower = option(mount?.options ?? [], 'lowerdir')?.split(':') ?? [];
    expect(await Promise.all(lower.map((l) => readlink(l)))).toEqual([top, base]);
    expect(lower.every((l) => l.startsWith(join(root, 'snap', 'l')))).toBe(true);
    const upper = option(mount?.options ?? [], 'upperdir') as string;
    const work = option(mount?.options ?? [], 'workdir') as string;
    expect((await stat(upper)).isDirectory()).toBe(true);
    expect((await stat(work)).isDirectory()).toBe(true);
    expect(upper.startsWith(join(root, 'snap', 's', 'c1'))).toBe(true);
  });

  it('fits a 120-layer image in one page by switching to paths relative to its cwd', async () => {
    const snapshotter = new OverlaySnapshotter(join(root, 'a-rather-long-directory-name-for-the-snapshots'));
    const dirs = await layers(120);
    const [mount] = await snapshotter.prepare('big', dirs);
    expect(mount?.options.join(',').length).toBeLessThanOrEqual(MOUNT_OPTIONS_LIMIT);
    expect(mount?.cwd).toBe(snapshotter.root);
    const lower = option(mount?.options ?? [], 'lowerdir')?.split(':') ?? [];
    expect(lower).toHaveLength(120);
    expect(await readlink(join(snapshotter.root, lower[0] as string))).toBe(dirs[119]);
  });

  it('refuses an image with more layers than even relative paths can carry', async () => {
    const snapshotter = new OverlaySnapshotter(join(root, 'snap'), { optionsLimit: 300 });
    const dirs = await layers(30);
    await expect(snapshotter.prepare('huge', dirs)).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('uses an empty lower directory for a snapshot without layers', async () => {
    const snapshotter = new OverlaySnapshotter(join(root, 'snap'));
    const [mount] = await snapshotter.prepare('scratch', []);
    const lower = option(mount?.options ?? [], 'lowerdir') as string;
    expect(await readdir(lower)).toEqual([]);
  });

  it('removes links to layers that are gone and stale staging directories on its next run', async () => {
    const [layer] = await layers(1);
    const first = new OverlaySnapshotter(join(root, 'snap'));
    await first.prepare('c1', [layer as string]);
    await first.remove('c1');
    await rm(layer as string, { recursive: true });
    await mkdir(join(root, 'snap', 's', '.tmp-999999999-1-dead'), { recursive: true });
    const next = new OverlaySnapshotter(join(root, 'snap'));
    await next.prepare('c2', []);
    expect(await readdir(join(root, 'snap', 'l'))).toEqual([]);
    expect(await readdir(join(root, 'snap', 's'))).toEqual(['c2']);
  });

  it('refuses a root whose path would break the mount options', () => {
    expect(() => new OverlaySnapshotter(join(root, 'a,b'))).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
