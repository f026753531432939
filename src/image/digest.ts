import { createHash } from 'node:crypto';
import { TscError } from '../errors/index.js';

/** A content digest, `sha256:<64 hex>`: the only algorithm tscompose reads or writes. */
export type Digest = `sha256:${string}`;

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST_RE.test(value);
}

/** `value` as a digest, or IMAGE_INVALID naming where it came from. */
export function parseDigest(value: unknown, subject: string): Digest {
  if (isDigest(value)) return value;
  throw new TscError('IMAGE_INVALID', `${subject}: \`${String(value)}\` is not a sha256 digest`, {
    hint: 'digests look like sha256: followed by 64 lowercase hex digits; the image may be corrupt or use an unsupported algorithm',
  });
}

export function sha256Digest(data: Uint8Array | string): Digest {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

/** The 64 hex digits of a digest: the blob's file name and the layer directory's name. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/** The first 12 hex digits, as `docker images` shows an id. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}
