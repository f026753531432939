import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ResultPromise } from 'execa';
import { TscError } from '../errors/index.js';

export type Compression = 'none' | 'gzip' | 'zstd' | 'xz' | 'bzip2';

const READ_CHUNK = 1 << 20;
const RAW_CHUNK = 4 << 20;

/**
 * Read a file in big chunks through two alternating buffers, the next read running while the
 * consumer handles the current chunk. A chunk is only valid until the consumer asks for the next.
 */
async function* readChunks(path: string, state: { cancelled: boolean }): AsyncGenerator<Buffer> {
  const fh = await open(path, 'r');
  const buffers: [Buffer, Buffer] = [Buffer.allocUnsafe(RAW_CHUNK), Buffer.allocUnsafe(RAW_CHUNK)];
  let turn = 0;
  let pending = fh.read(buffers[0], 0, RAW_CHUNK, null);
  try {
    for (;;) {
      const { bytesRead } = await pending;
      if (bytesRead === 0 || state.cancelled) return;
      const current = buffers[turn as 0 | 1];
      turn = 1 - turn;
      pending = fh.read(buffers[turn as 0 | 1], 0, RAW_CHUNK, null);
      yield current.subarray(0, bytesRead);
    }
  } finally {
    await pending.catch(() => undefined);
    await fh.close();
  }
}

/** The compression of a blob or archive, told by its first bytes (never by its name or media type). */
export function detectCompression(head: Uint8Array): Compression {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68) return 'bzip2';
  return 'none';
}

export function detectFileCompression(path: string): Compression {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(6);
    const n = readSync(fd, head, 0, head.length, 0);
    return detectCompression(head.subarray(0, n));
  } finally {
    closeSync(fd);
  }
}

/**
 * A decompressed view of a file: read `stream` to the end, then await `done` for the decompressor's
 * verdict. A chunk may be reused once the next one is requested: copy what must outlive it.
 */
export interface DecompressedStream {
  compression: Compression;
  stream: AsyncIterable<Buffer>;
  done(): Promise<void>;
  /** Stop early (on error): ends the decompressor and any child process. */
  cancel(): void;
}

function corrupt(path: string, compression: Compression, detail: string, cause?: unknown): TscError {
  return new TscError('IMAGE_INVALID', `${path}: ${compression} data is corrupt: ${detail}`, {
    hint: 'the file is damaged or truncated; fetch or export it again',
    cause,
  });
}

/**
 * Open a file and decompress it as its magic bytes say: gzip with Node's zlib, zstd and xz by
 * streaming through `zstd -dc` / `xz -dc` (Node 20's zlib has no zstd).
 */
export function openDecompressed(path: string): DecompressedStream {
  const compression = detectFileCompression(path);
  if (compression === 'none') {
    const state = { cancelled: false };
    return { compression, stream: readChunks(path, state), done: () => Promise.resolve(), cancel: () => { state.cancelled = true; } };
  }
  if (compression === 'gzip') {
    const source = createReadStream(path, { highWaterMark: READ_CHUNK });
    const gunzip = createGunzip({ chunkSize: 256 * 1024 });
    let failure: unknown;
    pipeline(source, gunzip, (err) => { failure = err ?? undefined; });
    const stream = (async function* (): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of gunzip as AsyncIterable<Buffer>) yield chunk;
      } catch (err) {
        if (!String((err as { code?: string }).code ?? '').startsWith('Z_')) throw err;
        throw corrupt(path, compression, (err as Error).message, err);
      }
    })();
    return {
      compression,
      stream,
      done: () => (failure === undefined ? Promise.resolve() : Promise.reject(corrupt(path, compression, String(failure), failure))),
      cancel: () => source.destroy(),
    };
  }
  if (compression === 'bzip2') {
    throw new TscError('IMAGE_INVALID', `${path}: bzip2-compressed layers are not supported`, {
      hint: 'use an uncompressed, gzip or zstd layer (the OCI image spec allows only these)',
    });
  }
  // execa is loaded on first use: most runs never decompress zstd or xz, and loading it is costly.
  let cancelled = false;
  let child: ResultPromise | undefined;
  // The child is itself a promise: it is passed on wrapped, so awaiting `spawned` does not wait for its exit.
  const spawned = import('execa').then(({ execa }) => {
    if (cancelled) return {};
    child = execa(compression, ['-dc', '--', path], { stdin: 'ignore', buffer: { stdout: false, stderr: true }, stripFinalNewline: true });
    return { child };
  });
  const settled = spawned.then(({ child: c }) => c?.then(() => undefined, (err: unknown) => err), (err: unknown) => err);
  const stream = (async function* (): AsyncGenerator<Buffer> {
    const { child: c } = await spawned;
    if (c !== undefined) yield* c.stdout as unknown as AsyncIterable<Buffer>;
  })();
  return {
    compression,
    stream,
    async done(): Promise<void> {
      const err = await settled;
      if (err === undefined) return;
      const detail = (err as { stderr?: string; shortMessage?: string }).stderr || (err as Error).message;
      if ((err as { code?: string }).code === 'ENOENT') {
        throw new TscError('IMAGE_INVALID', `${path}: cannot decompress ${compression}: the \`${compression}\` command is missing`, {
          hint: `install it (Debian: apt-get install ${compression === 'xz' ? 'xz-utils' : 'zstd'})`,
          cause: err,
        });
      }
      throw corrupt(path, compression, detail, err);
    },
    cancel(): void {
      cancelled = true;
      child?.kill('SIGKILL');
    },
  };
}
