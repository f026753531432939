import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImageStore } from '../../../src/image/image-store.js';
import { sha256Digest } from '../../../src/image/digest.js';
import { TEST_IMAGES, buildTestImages } from '../../../src/image/test-images/index.js';
import { tarToBuffer } from '../../../src/image/tar/tar-writer.js';

const BUSYBOX = 'docker.io/tscompose-test/busybox:latest';
const LAYERS = 'docker.io/tscompose-test/layers:latest';

describe('ImageStore', () => {
  let dir: string;
  let archives: Record<string, string>;
  let store: ImageStore;
  let storeCount = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-images-'));
    archives = await buildTestImages(join(dir, 'archives'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    store = new ImageStore(join(dir, `store-${storeCount++}`, 'images'));
  });

  function archive(name: string): string {
    const path = archives[name];
    if (path === undefined) throw new Error(`no archive for ${name}`);
    return path;
  }

  it('loads an OCI archive and records it under its full name in an OCI layout', async () => {
    const [loaded] = await store.loadArchive(archive(TEST_IMAGES.busybox));
    expect(loaded?.names).toEqual([BUSYBOX]);
    const index = JSON.parse(await readFile(join(store.content.root, 'index.json'), 'utf8'));
    expect(index.manifests).toEqual([expect.objectContaining({
      digest: loaded?.digest,
      annotations: { 'org.opencontainers.image.ref.name': BUSYBOX, 'io.tscompose.image.name': BUSYBOX },
    })]);
    expect(JSON.parse(await readFile(join(store.content.root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    for (const blob of await readdir(join(store.content.root, 'blobs', 'sha256'))) {
      expect(sha256Digest(await readFile(join(store.content.root, 'blobs', 'sha256', blob)))).toBe(`sha256:${blob}`);
    }
    expect(await readdir(join(store.content.root, '.ingest'))).toEqual([]);
  });

  it('inspects an image: config, layers with diff and chain ids, size', async () => {
    await store.loadArchive(archive(TEST_IMAGES.layers));
    const image = await store.inspect('tscompose-test/layers');
    expect(image.names).toEqual([LAYERS]);
    expect(image.config.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
    expect(image.layers.map((l) => l.mediaType)).toEqual([
      'application/vnd.oci.image.layer.v1.tar',
      'application/vnd.oci.image.layer.v1.tar+gzip',
      'application/vnd.oci.image.layer.v1.tar+zstd',
    ]);
    const [first, second] = image.layers;
    expect(first?.chainId).toBe(first?.diffId);
    expect(second?.chainId).toBe(sha256Digest(`${first?.chainId} ${second?.diffId}`));
    const blobSizes = image.manifestDescriptor.size + image.manifest.config.size + image.layers.reduce((s, l) => s + l.size, 0);
    expect(image.size).toBe(blobSizes);
    expect(image.id).toBe(image.manifest.config.digest);
  });

  it('finds an image by any spelling of its name, by digest, by id and by id prefix', async () => {
    const [loaded] = await store.loadArchive(archive(TEST_IMAGES.busybox));
    const image = await store.inspect(BUSYBOX);
    for (const name of ['tscompose-test/busybox', 'tscompose-test/busybox:latest', `tscompose-test/busybox@${image.digest}`, image.digest, image.id, image.id.slice(7, 19)]) {
      expect((await store.resolve(name)).digest).toBe(loaded?.digest);
    }
  });

  it('says which image was probably meant when a name is unknown', async () => {
    await store.loadArchive(archive(TEST_IMAGES.busybox));
    await expect(store.inspect('tscompose-test/busybax')).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
      hint: expect.stringContaining('tscompose-test/busybox:latest'),
    });
  });

  it('saves and reloads into an empty store with the same manifest digests and names', async () => {
    const loaded = [...await store.loadArchive(archive(TEST_IMAGES.busybox)), ...await store.loadArchive(archive(TEST_IMAGES.layers))];
    const saved = join(dir, `saved-${storeCount}.tar`);
    await store.saveArchive([BUSYBOX, 'tscompose-test/layers'], saved);
    const other = new ImageStore(join(dir, `store-${storeCount++}`, 'images'));
    const reloaded = await other.loadArchive(saved);
    expect(reloaded).toEqual(loaded);
    expect((await other.list()).map((i) => i.digest).sort()).toEqual(loaded.map((l) => l.digest).sort());
    const again = join(dir, `again-${storeCount}.tar`);
    await other.saveArchive([BUSYBOX, LAYERS], again);
    expect((await readFile(again)).equals(await readFile(saved))).toBe(true);
    const manifest = JSON.parse((await readFile(saved)).toString('latin1').match(/\[\{"Config".*\]\n/)?.[0] ?? '[]');
    expect(manifest.map((m: { RepoTags: string[] }) => m.RepoTags)).toEqual([['tscompose-test/busybox:latest'], ['tscompose-test/layers:latest']]);
  });

  it('loads gzip-compressed archives', async () => {
    const gz = join(dir, `busybox-${storeCount}.tar.gz`);
    await writeFile(gz, gzipSync(await readFile(archive(TEST_IMAGES.busybox))));
    const [loaded] = await store.loadArchive(gz);
    expect(loaded?.names).toEqual([BUSYBOX]);
  });

  it('loads a docker-save archive, giving the same digest each time', async () => {
    const layer = tarToBuffer([{ entry: { path: 'hello', type: 'file' }, data: Buffer.from('hi\n') }]);
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Cmd: ['/hello'], ExposedPorts: { '80/tcp': {} }, Labels: { a: 'b' } }, rootfs: { type: 'layers', diff_ids: [sha256Digest(layer)] } }));
    const configName = `${sha256Digest(config).slice(7)}.json`;
    const docker = tarToBuffer([
      { entry: { path: configName, type: 'file' }, data: config },
      { entry: { path: 'abc/', type: 'directory' } },
      { entry: { path: 'abc/layer.tar', type: 'file' }, data: layer },
      { entry: { path: 'def/layer.tar', type: 'symlink', linkpath: '../abc/layer.tar' } },
      { entry: { path: 'manifest.json', type: 'file' }, data: Buffer.from(JSON.stringify([{ Config: configName, RepoTags: ['app:1', 'localhost:5000/app:1'], Layers: ['def/layer.tar'] }])) },
      { entry: { path: 'repositories', type: 'file' }, data: Buffer.from('{}') },
    ]);
    const path = join(dir, `docker-${storeCount}.tar`);
    await writeFile(path, docker);
    const [loaded] = await store.loadArchive(path);
    expect(loaded?.names).toEqual(['docker.io/library/app:1', 'localhost:5000/app:1']);
    const image = await store.inspect('app:1');
    expect(image.config).toMatchObject({ cmd: ['/hello'], exposedPorts: ['80/tcp'], labels: { a: 'b' } });
    expect(image.layers).toEqual([expect.objectContaining({ digest: sha256Digest(layer), diffId: sha256Digest(layer) })]);
    const other = new ImageStore(join(dir, `store-${storeCount++}`, 'images'));
    expect((await other.loadArchive(path))[0]?.digest).toBe(loaded?.digest);
    expect((await readdir(join(store.content.root, 'blobs', 'sha256'))).sort()).toEqual(
      [loaded?.digest, image.id, sha256Digest(layer)].map((d) => d?.slice(7)).sort(),
    );
  });

  it('refuses files that are not image archives', async () => {
    const path = join(dir, `not-an-image-${storeCount}.tar`);
    await writeFile(path, tarToBuffer([{ entry: { path: 'readme', type: 'file' }, data: Buffer.from('hi') }]));
    await expect(store.loadArchive(path)).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
    await expect(store.loadArchive(join(dir, 'missing.tar'))).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    expect(await store.list()).toEqual([]);
  });

  it('records every image when two stores on one root load at the same time', async () => {
    const twin = new ImageStore(store.content.root);
    const loaded = await Promise.all([
      store.loadArchive(archive(TEST_IMAGES.busybox)),
      twin.loadArchive(archive(TEST_IMAGES.layers)),
      store.loadArchive(archive(TEST_IMAGES.layers)),
    ]);
    expect(loaded.map((l) => l[0]?.names)).toEqual([[BUSYBOX], [LAYERS], [LAYERS]]);
    expect((await twin.list()).map((i) => i.names)).toEqual([[BUSYBOX], [LAYERS]]);
    expect((await readdir(store.content.root)).sort()).toEqual(['.ingest', 'blobs', 'index.json', 'oci-layout']);
  });

  it('tags: a name moves to the new image, the old image keeps its other names', async () => {
    await store.loadArchive(archive(TEST_IMAGES.busybox));
    await store.loadArchive(archive(TEST_IMAGES.layers));
    await store.tag('tscompose-test/busybox', 'localhost:5000/tools:1');
    await store.tag('tscompose-test/busybox', 'mine');
    await store.tag('tscompose-test/layers', 'mine');
    const byName = Object.fromEntries((await store.list()).map((i) => [[...i.names].sort().join(','), i.digest]));
    expect(Object.keys(byName).sort()).toEqual([
      `${BUSYBOX},localhost:5000/tools:1`,
      `docker.io/library/mine:latest,${LAYERS}`,
    ].sort());
    await expect(store.tag('tscompose-test/busybox', `x@sha256:${'a'.repeat(64)}`)).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('removes a name, then the image with the blobs nobody else uses', async () => {
    await store.loadArchive(archive(TEST_IMAGES.busybox));
    await store.loadArchive(archive(TEST_IMAGES.layers));
    await store.tag('tscompose-test/busybox', 'copy');
    const busybox = await store.inspect(BUSYBOX);
    expect(await store.remove('copy')).toEqual({ untagged: ['docker.io/library/copy:latest'], deleted: [] });
    const removed = await store.remove(BUSYBOX);
    expect(removed.deleted.sort()).toEqual([busybox.digest, busybox.id, ...busybox.layers.map((l) => l.digest)].sort());
    expect((await store.list()).map((i) => i.names)).toEqual([[LAYERS]]);
    await expect(store.inspect(LAYERS)).resolves.toMatchObject({ names: [LAYERS] });
  });

  it('will not remove an image a container uses unless forced, and then keeps it nameless', async () => {
    await store.loadArchive(archive(TEST_IMAGES.busybox));
    const image = await store.inspect(BUSYBOX);
    await expect(store.remove(BUSYBOX, { inUse: [image.digest] })).rejects.toMatchObject({ code: 'IMAGE_IN_USE' });
    expect(await store.remove(BUSYBOX, { inUse: [image.id], force: true })).toEqual({ untagged: [BUSYBOX], deleted: [] });
    expect(await store.list()).toEqual([expect.objectContaining({ names: [], digest: image.digest })]);
    expect((await store.remove(image.digest)).deleted).toContain(image.digest);
    expect(await store.list()).toEqual([]);
  });
});
