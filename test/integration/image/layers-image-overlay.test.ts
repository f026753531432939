import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore } from '../../../src/image/layer-store.js';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import { OverlaySnapshotter } from '../../../src/snapshot/overlay-snapshotter.js';
import { LAYERS_IMAGE_TREE, TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { MountTracker, isRoot, mountsUnder } from './support/mounts.js';
import { describeTree } from './support/tree.js';

describe.skipIf(!isRoot)('image layers through a real overlay mount', () => {
  let dir: string;
  let images: ImageStore;
  let layers: LayerStore;
  let snapshots: OverlaySnapshotter;
  const mounts = new MountTracker();
  const fsOps = isRoot ? new LinuxFsOps() : undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-overlay-'));
    const archives = await buildTestImages(join(dir, 'archives'));
    images = new ImageStore(join(dir, 'images'));
    for (const path of Object.values(archives)) await images.loadArchive(path);
    layers = new LayerStore(join(dir, 'layers'), { fsOps: fsOps as LinuxFsOps });
    snapshots = new OverlaySnapshotter(join(dir, 'snapshots'));
  });
  afterEach(async () => {
    await mounts.releaseAll();
    expect(await mountsUnder(dir)).toEqual([]);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows exactly the expected tree of the three-layer image', async () => {
    const dirs = await layers.ensureAll(await images.layerSources(TEST_IMAGES.layers));
    const [mount] = await snapshots.prepare('layers', dirs);
    const target = join(dir, 'mnt-layers');
    await mkdir(target);
    await mounts.mount(mount!, target);
    expect(await describeTree(target)).toEqual(LAYERS_IMAGE_TREE);
  });

  it('stores whiteouts as 0/0 devices and the opaque marker as an xattr in the layer directories', async () => {
    const [, second, third] = await layers.ensureAll(await images.layerSources(TEST_IMAGES.layers));
    for (const whiteout of [join(second!, 'gone-dir'), join(second!, 'data/gone.txt'), join(third!, 'added.txt')]) {
      const st = await lstat(whiteout);
      expect([st.isCharacterDevice(), st.rdev]).toEqual([true, 0]);
    }
    expect(fsOps?.lgetxattr(join(second!, 'opaque'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect(((await lstat(join(second!, 'bin/suid'))).mode & 0o7777)).toBe(0o4755);
  });

  it('runs the busybox image: applets are links to /bin/busybox, writes land in the upper dir only', async () => {
    const dirs = await layers.ensureAll(await images.layerSources(TEST_IMAGES.busybox));
    const [mount] = await snapshots.prepare('busybox', dirs);
    const target = join(dir, 'mnt-busybox');
    await mkdir(target);
    await mounts.mount(mount!, target);
    const { stdout } = await execa('/usr/sbin/chroot', [target, '/bin/sh', '-c', 'echo hello > /tmp/out; cat /tmp/out; ls /etc'], { timeout: 10_000, env: { PATH: '/bin:/usr/bin' } });
    expect(stdout.split('\n')).toEqual(['hello', 'group', 'passwd']);
    expect((await lstat(join(target, 'bin/sh'))).ino).toBe((await lstat(join(target, 'bin/busybox'))).ino);
    const upper = mount!.options.find((o) => o.startsWith('upperdir='))!.slice('upperdir='.length);
    expect(await readFile(join(upper, 'tmp/out'), 'utf8')).toBe('hello\n');
    await expect(lstat(join(dirs[0]!, 'tmp/out'))).rejects.toMatchObject({ code: 'ENOENT' });
    await writeFile(join(target, 'etc/passwd'), 'changed\n');
    expect(await readFile(join(dirs[0]!, 'etc/passwd'), 'utf8')).toContain('root:x:0:0');
  });
});
