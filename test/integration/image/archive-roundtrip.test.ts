import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { ImageStore } from '../../../src/image/image-store.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { isRoot } from './support/mounts.js';

const BUSYBOX = 'docker.io/tscompose-test/busybox:latest';

describe.skipIf(!isRoot)('image archives with real tools', () => {
  let dir: string;
  let archives: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-archive-'));
    archives = await buildTestImages(join(dir, 'archives'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('load → save → load into an empty store keeps the manifest digest', async () => {
    const first = new ImageStore(join(dir, 'one', 'images'));
    const [loaded] = await first.loadArchive(archives[TEST_IMAGES.busybox] as string);
    const saved = join(dir, 'saved.tar');
    await first.saveArchive([TEST_IMAGES.busybox], saved);
    const second = new ImageStore(join(dir, 'two', 'images'));
    const [reloaded] = await second.loadArchive(saved);
    expect(reloaded).toEqual(loaded);
    expect((await second.inspect(BUSYBOX)).digest).toBe(loaded?.digest);
  });

  it('skopeo reads the store as an OCI layout and the saved archive as an OCI archive', async () => {
    const store = new ImageStore(join(dir, 'skopeo', 'images'));
    const [loaded] = await store.loadArchive(archives[TEST_IMAGES.busybox] as string);
    const fromStore = JSON.parse((await execa('skopeo', ['inspect', `oci:${store.content.root}:${BUSYBOX}`], { timeout: 30_000 })).stdout);
    expect(fromStore.Digest).toBe(loaded?.digest);
    expect(fromStore.Env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    const saved = join(dir, 'for-skopeo.tar');
    await store.saveArchive([BUSYBOX], saved);
    const fromArchive = JSON.parse((await execa('skopeo', ['inspect', `oci-archive:${saved}:${BUSYBOX}`], { timeout: 30_000 })).stdout);
    expect(fromArchive.Digest).toBe(loaded?.digest);
  });

  it('loads what skopeo writes as a docker-save archive, names included', async () => {
    const docker = join(dir, 'docker.tar');
    await execa('skopeo', ['copy', `oci-archive:${archives[TEST_IMAGES.busybox]}:${BUSYBOX}`, `docker-archive:${docker}:tscompose-test/busybox:saved`], { timeout: 60_000 });
    const store = new ImageStore(join(dir, 'docker', 'images'));
    const [loaded] = await store.loadArchive(docker);
    expect(loaded?.names).toEqual(['docker.io/tscompose-test/busybox:saved']);
    const original = new ImageStore(join(dir, 'original', 'images'));
    await original.loadArchive(archives[TEST_IMAGES.busybox] as string);
    const a = await original.inspect(BUSYBOX);
    const b = await store.inspect('tscompose-test/busybox:saved');
    expect(b.layers.map((l) => l.diffId)).toEqual(a.layers.map((l) => l.diffId));
    expect(b.config).toEqual(a.config);
  });
});
