import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, stat, writeFile, copyFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { ImageStore } from '../../../src/image/image-store.js';

describe('buildTestImages', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-testimg-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the same bytes every time and reuses archives whose inputs did not change', async () => {
    const first = await buildTestImages(join(dir, 'a'), { probe: join(dir, 'no-probe') });
    const second = await buildTestImages(join(dir, 'b'), { probe: join(dir, 'no-probe') });
    expect(Object.keys(first).sort()).toEqual([TEST_IMAGES.busybox, TEST_IMAGES.layers].sort());
    for (const name of Object.keys(first)) {
      expect((await readFile(first[name] as string)).equals(await readFile(second[name] as string))).toBe(true);
    }
    const before = await stat(first[TEST_IMAGES.busybox] as string);
    const again = await buildTestImages(join(dir, 'a'), { probe: join(dir, 'no-probe') });
    expect(again).toEqual(first);
    expect((await stat(again[TEST_IMAGES.busybox] as string)).mtimeMs).toBe(before.mtimeMs);
  });

  it('packs busybox with its applet links, users and Cmd sh; the probe image when a probe exists', async () => {
    const probe = join(dir, 'probe');
    await copyFile('/bin/busybox', probe);
    await chmod(probe, 0o755);
    const archives = await buildTestImages(join(dir, 'out'), { probe });
    const store = new ImageStore(join(dir, 'store'));
    for (const path of Object.values(archives)) await store.loadArchive(path);
    const busybox = await store.inspect(TEST_IMAGES.busybox);
    expect(busybox.config.cmd).toEqual(['sh']);
    const layer = (await readFile(store.content.blobPath(busybox.layers[0]!.digest)));
    expect(layer[0]).toBe(0x1f);
    const probeImage = await store.inspect(TEST_IMAGES.probe);
    expect(probeImage.layers.map((l) => l.diffId)).toEqual([busybox.layers[0]!.diffId, expect.any(String)]);
    expect(probeImage.config.cmd).toEqual(['/usr/bin/probe']);
    await writeFile(probe, 'changed');
    const rebuilt = await buildTestImages(join(dir, 'out'), { probe });
    expect(rebuilt[TEST_IMAGES.probe]).not.toBe(archives[TEST_IMAGES.probe]);
  });

  it('fails with a hint when busybox is missing', async () => {
    await expect(buildTestImages(dir, { busybox: join(dir, 'nope') })).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', hint: expect.stringContaining('busybox-static') });
  });
});
