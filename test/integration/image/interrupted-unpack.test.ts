import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { LayerStore, type LayerSource } from '../../../src/image/layer-store.js';
import { MediaType } from '../../../src/image/media-types.js';
import { TarWriter } from '../../../src/image/tar/tar-writer.js';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import type { Digest } from '../../../src/image/digest.js';
import { isRoot } from './support/mounts.js';

const FILES = 5_000;
const CHILD = resolve(import.meta.dirname, 'support/unpack-child.ts');
const REPO = resolve(import.meta.dirname, '../../..');

/** A big plain layer (~23 MB, 5 000 files), written straight to disk. */
function writeBigLayer(path: string): Digest {
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  const tar = new TarWriter((chunk) => {
    hash.update(chunk);
    writeSync(fd, chunk);
  });
  for (let d = 0; d < 100; d++) tar.add({ path: `d${d}/`, type: 'directory' });
  for (let i = 0; i < FILES; i++) tar.add({ path: `d${i % 100}/f${i}`, type: 'file' }, Buffer.alloc(4096, i % 251));
  tar.finish();
  closeSync(fd);
  return `sha256:${hash.digest('hex')}`;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  for (const start = performance.now(); performance.now() - start < timeoutMs;) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out waiting for the unpack to start');
}

describe.skipIf(!isRoot)('an unpack killed midway', () => {
  let dir: string;
  let source: LayerSource;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-kill-'));
    const blobPath = join(dir, 'big.tar');
    const diffId = writeBigLayer(blobPath);
    source = { digest: diffId, mediaType: MediaType.ociLayer, diffId, chainId: diffId, blobPath };
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves no complete-looking layer, and the next unpack cleans up and succeeds', async () => {
    const root = join(dir, 'layers');
    const child = execa('node', ['--import', 'tsx', CHILD, root, JSON.stringify(source)], { cwd: REPO, reject: false, timeout: 60_000 });
    let temp = '';
    await waitFor(async () => {
      const names = await readdir(root).catch(() => [] as string[]);
      temp = names.find((n) => n.startsWith('.tmp-')) ?? '';
      return temp !== '' && (await readdir(join(root, temp)).catch(() => [])).length >= 50;
    }, 30_000);
    child.kill('SIGKILL');
    const result = await child;
    expect(result.signal).toBe('SIGKILL');

    expect(await readdir(root)).toEqual([temp]);
    const next = new LayerStore(root, { fsOps: new LinuxFsOps() });
    expect(await next.list()).toEqual([]);
    expect(await next.has(source.chainId)).toBe(false);

    const layerDir = await next.ensure(source);
    expect(next.unpackCount).toBe(1);
    expect(await readdir(root)).toEqual([source.chainId.slice(7)]);
    expect(await readdir(join(layerDir, 'd99'))).toHaveLength(FILES / 100);
    expect(await readFile(join(layerDir, `d99/f${FILES - 1}`))).toEqual(Buffer.alloc(4096, (FILES - 1) % 251));
  }, 120_000);
});
