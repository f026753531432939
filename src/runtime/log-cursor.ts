import { open, readdir, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseLogLine, type LogRecord } from './log-record.js';

/** How much more is asked for once a file's size at its stat is read (it may have grown since). */
const TAIL = 64 * 1024;
const NEWLINE = 0x0a;

interface OpenFile {
  readonly fh: FileHandle;
  /** Inode and birth time: a rotated-away file's inode is soon given to a new one, its birth time is not. */
  readonly identity: string;
  readonly birth: bigint;
  readonly size: number;
}

/** How often a look is repeated when the file being read is not among those listed (a rotation under way). */
const RELOOKS = 3;

/**
 * Reads a log as it grows, across rotation: each call returns the records completed since the last
 * one. The monitor rotates `<log>` → `<log>.1` → … `<log>.N`; the cursor follows the file it was
 * reading by inode and birth time, finishes it wherever it went, then reads the newer ones. The first
 * call starts with the oldest file kept. A line still being written stays for the next call; no file is
 * an empty log.
 */
export class LogCursor {
  private identity: string | undefined;
  private offset = 0;
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly path: string) {}

  /** The log's file names, oldest first by name. */
  private async names(): Promise<string[]> {
    const base = basename(this.path);
    let names: string[];
    try {
      names = await readdir(dirname(this.path));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const rotated = names
      .filter((n) => n.startsWith(`${base}.`) && /^[1-9]\d*$/.test(n.slice(base.length + 1)))
      .map((n) => Number(n.slice(base.length + 1)))
      .sort((a, b) => b - a);
    return [...rotated.map((n) => `${this.path}.${n}`), this.path];
  }

  /**
   * The log's files, open, oldest first. Names move while a rotation runs, so files are ordered by birth
   * time (by name where two share one) and a file opened under two names counts once.
   */
  private async openAll(): Promise<OpenFile[]> {
    const out: OpenFile[] = [];
    try {
      for (const path of await this.names()) {
        let fh: FileHandle;
        try {
          fh = await open(path, 'r');
        } catch (err) {
          // Renamed between the listing and the open: it is found under its next name, or on the next look.
          if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw err;
        }
        const st = await fh.stat({ bigint: true });
        const identity = `${st.ino}:${st.birthtimeNs}`;
        if (out.some((f) => f.identity === identity)) await fh.close();
        else out.push({ fh, identity, birth: st.birthtimeNs, size: Number(st.size) });
      }
    } catch (err) {
      await closeAll(out);
      throw err;
    }
    const byName = new Map(out.map((f, i) => [f, i]));
    return out.sort((a, b) => (a.birth < b.birth ? -1 : a.birth > b.birth ? 1 : (byName.get(a) ?? 0) - (byName.get(b) ?? 0)));
  }

  async next(): Promise<LogRecord[]> {
    const chunks = (await this.fromCurrent()) ?? (await this.fromAll());
    const data = Buffer.concat(chunks);
    const end = data.lastIndexOf(NEWLINE) + 1;
    this.pending = Buffer.from(data.subarray(end));
    const out: LogRecord[] = [];
    for (const line of data.subarray(0, end).toString('utf8').split('\n')) {
      const record = line === '' ? undefined : parseLogLine(line);
      if (record !== undefined) out.push(record);
    }
    return out;
  }

  /**
   * The common case: the file read last is still the log's live file, so nothing was rotated since and
   * only its new bytes are read. Undefined when that is not so (no file read yet, a rotation under way).
   */
  private async fromCurrent(): Promise<Buffer[] | undefined> {
    if (this.identity === undefined) return undefined;
    let fh: FileHandle;
    try {
      fh = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    try {
      const st = await fh.stat({ bigint: true });
      if (`${st.ino}:${st.birthtimeNs}` !== this.identity) return undefined;
      const size = Number(st.size);
      const chunks = [this.pending];
      if (this.offset > size) {
        // Started over (a log kept in one file is truncated when full).
        this.offset = 0;
        chunks.length = 0;
      }
      const data = await readSpan(fh, this.offset, size);
      this.offset += data.length;
      chunks.push(data);
      return chunks;
    } finally {
      await fh.close();
    }
  }

  /** Every file kept, from the one read last (or the oldest) on. */
  private async fromAll(): Promise<Buffer[]> {
    let files = await this.openAll();
    for (let i = 0; i < RELOOKS && this.identity !== undefined && !files.some((f) => f.identity === this.identity); i++) {
      await closeAll(files);
      files = await this.openAll();
    }
    const chunks: Buffer[] = [];
    try {
      let first = files.findIndex((f) => f.identity === this.identity);
      if (first < 0) {
        // A first look, or the file read last was rotated out before it was finished: the oldest kept.
        first = 0;
        this.offset = 0;
        this.pending = Buffer.alloc(0);
      }
      chunks.push(this.pending);
      for (let i = first; i < files.length; i++) {
        const file = files[i] as OpenFile;
        let position = i === first ? this.offset : 0;
        if (position > file.size) {
          // Started over (a log kept in one file is truncated when full).
          position = 0;
          chunks.length = 0;
        }
        // A file may still grow after its stat (the writer finishing it): it is read to its end.
        for (;;) {
          const data = await readSpan(file.fh, position, Math.max(file.size, position + TAIL));
          if (data.length === 0) break;
          position += data.length;
          chunks.push(data);
        }
        this.identity = file.identity;
        this.offset = position;
      }
    } finally {
      await closeAll(files);
    }
    return chunks;
  }
}

/** Reads the bytes of `fh` from `start` up to `end` (fewer if the file ends first). */
async function readSpan(fh: FileHandle, start: number, end: number): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const buffer = Buffer.allocUnsafe(end - start);
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await fh.read(buffer, filled, buffer.length - filled, start + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}

async function closeAll(files: readonly OpenFile[]): Promise<void> {
  await Promise.all(files.map((f) => f.fh.close()));
}
