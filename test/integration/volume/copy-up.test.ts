import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile, chown, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageStore } from '../../../src/image/image-store.js';
import { LayerStore } from '../../../src/image/layer-store.js';
import { LAYERS_IMAGE_TREE, TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import { CopyUp } from '../../../src/volume/copy-up.js';
import { LocalVolumes } from '../../../src/volume/local-volumes.js';
import { describeTree } from '../image/support/tree.js';

const isRoot = process.getuid?.() === 0;

// Filling a volume from an image: the merged view of real unpacked layers, as overlayfs would show it.
describe.skipIf(!isRoot)('copy-up from unpacked layers', () => {
  let dir: string;
  let topFirst: string[];
  const fsOps = isRoot ? new LinuxFsOps() : (undefined as unknown as LinuxFsOps);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-copyup-'));
    const images = new ImageStore(join(dir, 'images'));
    for (const path of Object.values(await buildTestImages(join(dir, 'archives')))) await images.loadArchive(path);
    const layers = new LayerStore(join(dir, 'layers'), { fsOps });
    topFirst = (await layers.ensureAll(await images.layerSources(TEST_IMAGES.layers))).reverse();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function copied(path: string): Promise<string> {
    const dest = await mkdtemp(join(dir, 'dest-'));
    await new CopyUp(fsOps).copy(topFirst, path, dest);
    return dest;
  }

  it('copies the whole root exactly as the overlay shows it: whiteouts, opaque dirs, modes, links', async () => {
    expect(await describeTree(await copied('/'))).toEqual(LAYERS_IMAGE_TREE);
  });

  it('copies one directory with its hard links and the mode of the newest layer', async () => {
    const data = await copied('/data');
    expect(await describeTree(data)).toEqual({ 'keep-hard.txt': 'file:644:keep\n', 'keep.txt': 'file:644:keep\n', 'new.txt': 'file:644:layer 3\n' });
    expect((await lstat(join(data, 'keep.txt'))).ino).toBe((await lstat(join(data, 'keep-hard.txt'))).ino);
    expect(await describeTree(await copied('/opaque'))).toEqual({ 'new.txt': 'file:644:new\n' });
    expect(await describeTree(await copied('/etc'))).toEqual({ 'app.conf': 'file:600:version=3\n' });
  });

  it('copies nothing for a path the image does not have, or that a whiteout deleted', async () => {
    expect(await readdir(await copied('/nowhere'))).toEqual([]);
    expect(await readdir(await copied('/added.txt'))).toEqual([]);
    expect(await readdir(await copied('/data/gone.txt'))).toEqual([]);
  });

  it('keeps owners, and the volume directory takes the owner and mode of the image directory', async () => {
    const layer = join(dir, 'owned');
    await mkdir(join(layer, 'srv/app'), { recursive: true });
    await writeFile(join(layer, 'srv/app/file'), 'x');
    await symlink('file', join(layer, 'srv/app/link'));
    await chown(join(layer, 'srv/app'), 1000, 1001);
    await chmod(join(layer, 'srv/app'), 0o750);
    await chown(join(layer, 'srv/app/file'), 65534, 65534);
    const dest = await copied('/nope');
    await new CopyUp(fsOps).copy([layer], '/srv/app', dest);
    const root = await lstat(dest);
    expect([root.uid, root.gid, root.mode & 0o7777]).toEqual([1000, 1001, 0o750]);
    const file = await lstat(join(dest, 'file'));
    expect([file.uid, file.gid]).toEqual([65534, 65534]);
    expect(await describeTree(dest)).toEqual({ file: 'file:644:x', link: 'symlink:file' });
  });

  it('LocalVolumes.fill never copies over data already in the volume', async () => {
    const volumes = new LocalVolumes(join(dir, 'volumes'), () => new Date(0), fsOps);
    const full = (await volumes.ensureVolume('full', {})).path;
    await writeFile(join(full, 'mine'), 'mine');
    await volumes.fill(full, topFirst, '/data');
    expect(await readdir(full)).toEqual(['mine']);
    const empty = (await volumes.ensureVolume('empty', {})).path;
    await volumes.fill(empty, topFirst, '/data');
    expect((await readdir(empty)).sort()).toEqual(['keep-hard.txt', 'keep.txt', 'new.txt']);
  });
});
