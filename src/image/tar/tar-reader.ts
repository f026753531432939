import { TscError } from '../../errors/index.js';
import { decodeHeader, isZeroBlock, type RawHeader } from './tar-header.js';
import { parsePax } from './pax.js';
import { BLOCK, paddingOf, type TarEntry, type TarEntryType, type TarSink } from './tar-entry.js';

/** PAX headers and GNU long names bigger than this are refused rather than buffered. */
const MAX_META = 1 << 20;

const TYPES: Record<string, TarEntryType> = {
  '0': 'file', '\0': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink',
  '3': 'char', '4': 'block', '5': 'directory', '6': 'fifo',
};

type MetaKind = 'pax' | 'global' | 'longname' | 'longlink';
const META: Record<string, MetaKind> = { x: 'pax', g: 'global', L: 'longname', K: 'longlink' };

function corrupt(why: string): TscError {
  return new TscError('IMAGE_INVALID', `tar archive is corrupt: ${why}`, {
    hint: 'the archive or layer is damaged or truncated; fetch or export it again',
  });
}

function paxNumber(records: Map<string, Buffer>, key: string, fallback: number): number {
  const raw = records.get(key);
  if (raw === undefined) return fallback;
  const value = Number(raw.toString('latin1'));
  if (!Number.isFinite(value)) throw corrupt(`PAX ${key} \`${raw.toString('latin1')}\` is not a number`);
  return value;
}

function paxString(records: Map<string, Buffer>, key: string, fallback: string): string {
  const raw = records.get(key);
  return raw === undefined ? fallback : raw.toString('utf8');
}

/**
 * A streaming tar reader: feed it chunks with {@link TarReader.write}, and it calls its sink for each
 * entry and each piece of data, without copying file data. Understands ustar, GNU long names and
 * links (`L`/`K`), base-256 numbers, and PAX headers (path, linkpath, size, uid, gid, uname, gname,
 * mtime, `SCHILY.xattr.*`, `LIBARCHIVE.xattr.*`, `SCHILY.devmajor`/`devminor`), local and global.
 */
export class TarReader {
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  private state: 'header' | 'data' | 'meta' | 'skip' | 'done' = 'header';
  private remaining = 0;
  private padding = 0;
  private deliver = false;
  private metaKind: MetaKind = 'pax';
  private metaChunks: Buffer[] = [];
  private local = new Map<string, Buffer>();
  private global = new Map<string, Buffer>();
  private zeroBlocks = 0;
  /** Entries seen so far. */
  entries = 0;

  constructor(private readonly sink: TarSink) {}

  /** True once the end-of-archive marker was read; further input is ignored. */
  get finished(): boolean {
    return this.state === 'done';
  }

  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && this.state !== 'done') {
      if (this.state === 'header') at = this.readHeader(chunk, at);
      else at = this.readBody(chunk, at);
    }
  }

  /** The input ended: it must not end inside an entry. A missing end-of-archive marker is tolerated. */
  end(): void {
    if (this.state === 'done') return;
    if (this.state !== 'header' || this.headerFill !== 0) throw corrupt('unexpected end of archive');
  }

  private readHeader(chunk: Buffer, at: number): number {
    let block: Buffer;
    if (this.headerFill === 0 && chunk.length - at >= BLOCK) {
      block = chunk.subarray(at, at + BLOCK);
      at += BLOCK;
    } else {
      const take = Math.min(BLOCK - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + take);
      this.headerFill += take;
      at += take;
      if (this.headerFill < BLOCK) return at;
      this.headerFill = 0;
      block = this.header;
    }
    this.onHeader(block);
    return at;
  }

  private onHeader(block: Buffer): void {
    if (isZeroBlock(block)) {
      this.zeroBlocks++;
      if (this.zeroBlocks >= 2) this.state = 'done';
      return;
    }
    this.zeroBlocks = 0;
    const raw = decodeHeader(block);
    const meta = META[raw.typeflag];
    if (meta !== undefined) {
      if (raw.size > MAX_META) throw corrupt(`a ${meta} header of ${raw.size} bytes is too large`);
      this.metaKind = meta;
      this.metaChunks = [];
      this.startBody(raw.size, 'meta');
      return;
    }
    const entry = this.makeEntry(raw);
    if (this.local.size > 0) this.local = new Map();
    this.entries++;
    this.sink.entry(entry);
    this.deliver = entry.type === 'file';
    this.startBody(entry.size, 'data');
  }

  private startBody(size: number, state: 'data' | 'meta'): void {
    this.remaining = size;
    this.padding = paddingOf(size);
    this.state = state;
    if (size === 0) this.finishBody();
  }

  private readBody(chunk: Buffer, at: number): number {
    if (this.state === 'skip') {
      const take = Math.min(this.padding, chunk.length - at);
      this.padding -= take;
      if (this.padding === 0) this.state = 'header';
      return at + take;
    }
    const take = Math.min(this.remaining, chunk.length - at);
    const piece = chunk.subarray(at, at + take);
    this.remaining -= take;
    if (this.state === 'meta') this.metaChunks.push(Buffer.from(piece));
    else if (this.deliver && take > 0) this.sink.data(piece);
    if (this.remaining === 0) this.finishBody();
    return at + take;
  }

  private finishBody(): void {
    if (this.state === 'meta') this.applyMeta(Buffer.concat(this.metaChunks));
    else this.sink.entryEnd();
    this.metaChunks = [];
    this.state = this.padding > 0 ? 'skip' : 'header';
  }

  private applyMeta(data: Buffer): void {
    if (this.metaKind === 'longname' || this.metaKind === 'longlink') {
      const end = data.indexOf(0);
      const value = Buffer.from(end < 0 ? data : data.subarray(0, end));
      this.local.set(this.metaKind === 'longname' ? 'path' : 'linkpath', value);
      return;
    }
    const target = this.metaKind === 'global' ? this.global : this.local;
    for (const [key, value] of parsePax(data)) target.set(key, value);
  }

  private makeEntry(raw: RawHeader): TarEntry {
    const records = this.global.size === 0 ? this.local : new Map([...this.global, ...this.local]);
    let path = raw.prefix === '' ? raw.name : `${raw.prefix}/${raw.name}`;
    path = paxString(records, 'path', path);
    let type: TarEntryType = TYPES[raw.typeflag] ?? 'other';
    if (type === 'file' && raw.typeflag !== '7' && path.endsWith('/')) type = 'directory';
    const xattrs = new Map<string, Buffer>();
    for (const [key, value] of records) {
      if (key.startsWith('SCHILY.xattr.')) xattrs.set(key.slice('SCHILY.xattr.'.length), value);
      else if (key.startsWith('LIBARCHIVE.xattr.')) {
        const name = decodeURIComponent(key.slice('LIBARCHIVE.xattr.'.length));
        xattrs.set(name, Buffer.from(value.toString('latin1'), 'base64'));
      }
    }
    return {
      path,
      type,
      typeflag: raw.typeflag,
      mode: raw.mode & 0o7777,
      uid: paxNumber(records, 'uid', raw.uid),
      gid: paxNumber(records, 'gid', raw.gid),
      uname: paxString(records, 'uname', raw.uname),
      gname: paxString(records, 'gname', raw.gname),
      size: paxNumber(records, 'size', raw.size),
      mtime: paxNumber(records, 'mtime', raw.mtime),
      linkpath: paxString(records, 'linkpath', raw.linkname),
      devmajor: paxNumber(records, 'SCHILY.devmajor', raw.devmajor),
      devminor: paxNumber(records, 'SCHILY.devminor', raw.devminor),
      xattrs,
    };
  }
}
