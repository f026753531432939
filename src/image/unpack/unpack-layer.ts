import { createHash } from 'node:crypto';
import { TscError } from '../../errors/index.js';
import { openDecompressed } from '../compression.js';
import type { Digest } from '../digest.js';
import { TarReader } from '../tar/tar-reader.js';
import { LayerWriter, type LayerWriterOptions } from './layer-writer.js';

export interface UnpackOptions extends LayerWriterOptions {
  /** The layer's diff id from the image config: the digest of the uncompressed tar, checked while reading. */
  expectedDiffId?: Digest;
  /**
   * The blob's digest, as the content store verified it when the blob was written. An uncompressed
   * blob with this digest is its own diff id, so it is not hashed a second time.
   */
  verifiedBlobDigest?: Digest;
}

export interface UnpackResult {
  diffId: Digest;
  entries: number;
  /** Bytes of file data written. */
  bytes: number;
}

/**
 * Unpack a layer blob (tar, tar+gzip or tar+zstd, told by its magic bytes) into `dest`, which must
 * exist. The uncompressed stream is hashed on the way and must match `expectedDiffId` when given.
 */
export async function unpackLayer(blobPath: string, dest: string, options: UnpackOptions): Promise<UnpackResult> {
  const input = openDecompressed(blobPath);
  const writer = new LayerWriter(dest, options);
  const reader = new TarReader(writer);
  const known = input.compression === 'none' ? options.verifiedBlobDigest : undefined;
  const hash = known === undefined ? createHash('sha256') : undefined;
  try {
    for await (const chunk of input.stream) {
      hash?.update(chunk);
      if (!reader.finished) reader.write(chunk);
    }
    reader.end();
    writer.finish();
    await input.done();
  } catch (err) {
    writer.abort();
    input.cancel();
    throw err;
  }
  const diffId: Digest = hash === undefined ? (known as Digest) : `sha256:${hash.digest('hex')}`;
  if (options.expectedDiffId !== undefined && diffId !== options.expectedDiffId) {
    throw new TscError('IMAGE_INVALID', `layer ${blobPath} unpacks to ${diffId}, but the image config says ${options.expectedDiffId}`, {
      hint: 'the layer or the image config is corrupt; load or pull the image again',
    });
  }
  return { diffId, entries: writer.entries, bytes: writer.bytes };
}
