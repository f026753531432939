import { createHash, randomBytes, type Hash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Digest } from './digest.js';

/** A blob written to a temp file in the ingest directory, hashed as it is written. */
export interface StagedBlob {
  digest: Digest;
  size: number;
  /** The temp file; hand it to ContentStore.adopt or delete it. */
  path: string;
}

/**
 * Writes one blob synchronously into a temp file under `ingestDir`, hashing on the way. `finish`
 * fsyncs and returns the digest; nothing is visible in the store until the blob is adopted.
 */
export class BlobWriter {
  private readonly fd: number;
  private readonly hash: Hash = createHash('sha256');
  readonly path: string;
  size = 0;
  private closed = false;

  constructor(ingestDir: string) {
    this.path = join(ingestDir, `blob-${randomBytes(8).toString('hex')}`);
    this.fd = openSync(this.path, 'wx', 0o644);
  }

  write(chunk: Uint8Array): void {
    this.hash.update(chunk);
    for (let done = 0; done < chunk.length;) done += writeSync(this.fd, chunk, done, chunk.length - done);
    this.size += chunk.length;
  }

  finish(): StagedBlob {
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.closed = true;
    return { digest: `sha256:${this.hash.digest('hex')}`, size: this.size, path: this.path };
  }

  /** Close and delete the temp file. */
  abort(): void {
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
    try {
      unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}
