import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sha256Digest } from '../../../src/image/digest.js';
import { LayerStore } from '../../../src/image/layer-store.js';
import { MediaType } from '../../../src/image/media-types.js';
import { tarToBuffer, type TarWriteEntry } from '../../../src/image/tar/tar-writer.js';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import { isRoot } from './support/mounts.js';

type Item = { entry: TarWriteEntry; data?: Buffer };

describe.skipIf(!isRoot)('hand-made malicious layers, unpacked as root', () => {
  let dir: string;
  let outside: string;
  let canary: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-evil-'));
    outside = join(dir, 'outside');
    canary = join(outside, 'canary');
    await mkdir(outside);
    await writeFile(canary, 'canary\n');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: [string, () => Item[]][] = [
    ['a `../` path', () => [{ entry: { path: '../../outside/canary', type: 'file' }, data: Buffer.from('pwned') }]],
    ['an absolute path', () => [{ entry: { path: canary, type: 'file' }, data: Buffer.from('pwned') }]],
    ['an absolute symlink followed by a write through it', () => [
      { entry: { path: 'evil', type: 'symlink', linkpath: outside } },
      { entry: { path: 'evil/canary', type: 'file' }, data: Buffer.from('pwned') },
    ]],
    ['a symlinked parent directory', () => [
      { entry: { path: 'usr/', type: 'directory' } },
      { entry: { path: 'usr/lib', type: 'symlink', linkpath: '../../../outside' } },
      { entry: { path: 'usr/lib/canary', type: 'file' }, data: Buffer.from('pwned') },
    ]],
    ['a hardlink to a file outside', () => [{ entry: { path: 'h', type: 'hardlink', linkpath: '../../outside/canary' } }]],
    ['a hardlink through a symlink to outside', () => [
      { entry: { path: 'out', type: 'symlink', linkpath: outside } },
      { entry: { path: 'h', type: 'hardlink', linkpath: 'out/canary' } },
    ]],
  ];

  it.each(cases)('refuses %s and changes nothing outside', async (_, items) => {
    const tar = tarToBuffer(items());
    const blobPath = join(dir, 'layer.tar.gz');
    await writeFile(blobPath, gzipSync(tar));
    const layers = new LayerStore(join(dir, 'data', 'layers'), { fsOps: new LinuxFsOps() });
    const before = await stat(canary);
    const diffId = sha256Digest(tar);
    await expect(layers.ensure({ digest: sha256Digest(gzipSync(tar)), mediaType: MediaType.ociLayerGzip, diffId, chainId: diffId, blobPath }))
      .rejects.toMatchObject({ code: 'LAYER_UNSAFE' });
    expect(await readFile(canary, 'utf8')).toBe('canary\n');
    const after = await stat(canary);
    expect([after.nlink, after.mtimeMs, after.uid]).toEqual([before.nlink, before.mtimeMs, before.uid]);
    expect(await readdir(outside)).toEqual(['canary']);
    expect(await readdir(join(dir, 'data', 'layers'))).toEqual([]);
    expect(await layers.list()).toEqual([]);
  });
});
