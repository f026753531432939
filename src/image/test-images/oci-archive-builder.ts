import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { sha256Digest, digestHex, type Digest } from '../digest.js';
import { Annotation, MediaType } from '../media-types.js';
import type { Platform } from '../oci-types.js';
import { normalizeName } from '../reference.js';
import { tarToBuffer, type TarWriteEntry } from '../tar/tar-writer.js';

export type LayerCompression = 'none' | 'gzip' | 'zstd';

export interface TestLayer {
  /** The uncompressed layer tar. */
  tar: Buffer;
  compression: LayerCompression;
}

export interface TestImage {
  name: string;
  layers: TestLayer[];
  /** The `config` object of the image config: Env, Cmd, Entrypoint, ... */
  config: Record<string, unknown>;
  platform: Platform;
}

/** The date every test image claims: fixed, so digests never change. */
export const FIXED_CREATED = '2024-01-01T00:00:00Z';
export const FIXED_MTIME = Date.parse(FIXED_CREATED) / 1000;

const LAYER_MEDIA_TYPE: Record<LayerCompression, string> = {
  none: MediaType.ociLayer, gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd,
};

async function compress(tar: Buffer, compression: LayerCompression): Promise<Buffer> {
  if (compression === 'none') return tar;
  if (compression === 'gzip') return gzipSync(tar, { level: 6 });
  const result = await execa('zstd', ['-q', '-c', '-3', '--no-progress'], { input: tar, encoding: 'buffer' });
  return Buffer.from(result.stdout);
}

/** A layer tar from entries, in the order given, with the fixed mtime where none is set. */
export function layerTar(entries: { entry: TarWriteEntry; data?: Buffer }[]): Buffer {
  return tarToBuffer(entries.map(({ entry, data }) => ({ entry: { mtime: FIXED_MTIME, ...entry }, ...(data === undefined ? {} : { data }) })));
}

/** Write `image` as an OCI archive at `path` (aside, then renamed). Same input, same bytes. */
export async function writeOciArchive(image: TestImage, path: string): Promise<Digest> {
  const blobs = new Map<Digest, Buffer>();
  const layers = [];
  const diffIds: Digest[] = [];
  for (const layer of image.layers) {
    const blob = await compress(layer.tar, layer.compression);
    const digest = sha256Digest(blob);
    blobs.set(digest, blob);
    diffIds.push(sha256Digest(layer.tar));
    layers.push({ mediaType: LAYER_MEDIA_TYPE[layer.compression], digest, size: blob.length });
  }
  const configFile = {
    created: FIXED_CREATED,
    architecture: image.platform.architecture,
    os: image.platform.os,
    config: image.config,
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: image.layers.map(() => ({ created: FIXED_CREATED, created_by: 'tscompose test image builder' })),
  };
  const config = Buffer.from(JSON.stringify(configFile));
  const configDigest = sha256Digest(config);
  blobs.set(configDigest, config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
    layers,
  }));
  const manifestDigest = sha256Digest(manifest);
  blobs.set(manifestDigest, manifest);
  const name = normalizeName(image.name);
  const index = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [{
      mediaType: MediaType.ociManifest, digest: manifestDigest, size: manifest.length,
      annotations: { [Annotation.containerdName]: name, [Annotation.refName]: name },
    }],
  };
  const entries: { entry: TarWriteEntry; data?: Buffer }[] = [
    { entry: { path: 'blobs/', type: 'directory' } },
    { entry: { path: 'blobs/sha256/', type: 'directory' } },
  ];
  for (const digest of [...blobs.keys()].sort()) entries.push({ entry: { path: `blobs/sha256/${digestHex(digest)}`, type: 'file' }, data: blobs.get(digest) as Buffer });
  entries.push({ entry: { path: 'index.json', type: 'file' }, data: Buffer.from(`${JSON.stringify(index, null, 2)}\n`) });
  entries.push({ entry: { path: 'oci-layout', type: 'file' }, data: Buffer.from(`${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`) });
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, tarToBuffer(entries));
  await rename(tmp, path);
  return manifestDigest;
}
