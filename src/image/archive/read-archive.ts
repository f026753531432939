import { posix } from 'node:path';
import { TscError } from '../../errors/index.js';
import { BlobWriter, type StagedBlob } from '../blob-writer.js';
import { openDecompressed } from '../compression.js';
import type { Digest } from '../digest.js';
import { TarReader } from '../tar/tar-reader.js';
import type { TarEntry, TarSink } from '../tar/tar-entry.js';

/** Files up to this size are also kept in memory (index.json, manifest.json, manifests, configs). */
const SMALL = 1 << 20;

export interface ArchiveFile {
  staged: StagedBlob;
  /** The content, for small files. */
  data?: Buffer;
}

/** The regular files of an image archive, each staged as a blob, and its links. */
export class ArchiveFiles {
  readonly files = new Map<string, ArchiveFile>();
  readonly byDigest = new Map<Digest, StagedBlob>();
  readonly links = new Map<string, string>();

  /** The file at `path`, following symlinks and hardlinks within the archive. */
  get(path: string): ArchiveFile | undefined {
    let current = normalizeArchivePath(path);
    for (let hops = 0; hops < 16; hops++) {
      const file = this.files.get(current);
      if (file !== undefined) return file;
      const next = this.links.get(current);
      if (next === undefined) return undefined;
      current = next;
    }
    return undefined;
  }
}

function invalid(archive: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `image archive ${archive}: ${why}`, {
    hint: 'the file is not an OCI or docker-save archive, or it is damaged',
  });
}

/** A path inside an archive without `./`, `..`, leading or trailing slashes (`..` cannot climb above the top). */
export function normalizeArchivePath(path: string): string {
  return posix.normalize(`/${path}`).slice(1).replace(/\/$/, '');
}

class ArchiveSink implements TarSink {
  private writer: BlobWriter | undefined;
  private path = '';
  private chunks: Buffer[] | undefined;

  constructor(private readonly archive: string, private readonly ingestDir: string, readonly out: ArchiveFiles) {}

  entry(entry: TarEntry): void {
    const path = normalizeArchivePath(entry.path);
    if (entry.type === 'symlink') {
      const target = entry.linkpath.startsWith('/') ? entry.linkpath : posix.join(posix.dirname(path), entry.linkpath);
      this.out.links.set(path, normalizeArchivePath(target));
    } else if (entry.type === 'hardlink') {
      this.out.links.set(path, normalizeArchivePath(entry.linkpath));
    } else if (entry.type === 'file') {
      this.path = path;
      this.writer = new BlobWriter(this.ingestDir);
      this.chunks = entry.size <= SMALL ? [] : undefined;
    }
  }

  data(chunk: Buffer): void {
    this.writer?.write(chunk);
    this.chunks?.push(Buffer.from(chunk));
  }

  entryEnd(): void {
    const writer = this.writer;
    if (writer === undefined) return;
    this.writer = undefined;
    const staged = writer.finish();
    const file: ArchiveFile = { staged };
    if (this.chunks !== undefined) file.data = Buffer.concat(this.chunks);
    this.chunks = undefined;
    const blobName = /^blobs\/sha256\/([0-9a-f]{64})$/.exec(this.path)?.[1];
    if (blobName !== undefined && `sha256:${blobName}` !== staged.digest) {
      throw invalid(this.archive, `${this.path} does not match its digest (it is ${staged.digest})`);
    }
    this.out.files.set(this.path, file);
    this.out.byDigest.set(staged.digest, staged);
  }

  abort(): void {
    this.writer?.abort();
  }
}

/**
 * Read an image archive (tar, gzip or zstd, told by its magic bytes) in one pass, staging every
 * regular file as a blob in `ingestDir` (verified against its name under `blobs/sha256/`).
 */
export async function readArchive(archive: string, ingestDir: string): Promise<ArchiveFiles> {
  let input;
  try {
    input = openDecompressed(archive);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new TscError('IMAGE_NOT_FOUND', `image archive ${archive} does not exist`, { hint: 'check the path' });
    }
    throw err;
  }
  const out = new ArchiveFiles();
  const sink = new ArchiveSink(archive, ingestDir, out);
  const reader = new TarReader(sink);
  try {
    for await (const chunk of input.stream) if (!reader.finished) reader.write(chunk);
    reader.end();
    await input.done();
  } catch (err) {
    sink.abort();
    input.cancel();
    if (err instanceof TscError) throw err.code === 'IMAGE_INVALID' ? err.wrap(`image archive ${archive}`) : err;
    throw err;
  }
  if (reader.entries === 0) throw invalid(archive, 'it holds no files');
  return out;
}
