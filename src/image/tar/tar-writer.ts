import { closeSync, openSync, readSync } from 'node:fs';
import { encodeHeader, octalLimit } from './tar-header.js';
import { encodePax } from './pax.js';
import { BLOCK, paddingOf, type TarEntryType } from './tar-entry.js';

/** What to write for one entry. Paths are written exactly as given: the writer never rewrites them. */
export interface TarWriteEntry {
  path: string;
  type: Exclude<TarEntryType, 'other'>;
  mode?: number;
  uid?: number;
  gid?: number;
  uname?: string;
  gname?: string;
  /** Seconds since the epoch; 0 unless given, so archives are reproducible. */
  mtime?: number;
  linkpath?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Map<string, Buffer> | Record<string, string | Buffer>;
}

const TYPEFLAG: Record<TarWriteEntry['type'], string> = {
  file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', directory: '5', fifo: '6',
};

const ZEROS = Buffer.alloc(BLOCK * 2);
const COPY_CHUNK = 1 << 20;

/** Split a long path into ustar prefix and name at a slash, if it fits. */
function splitPath(path: string): { prefix: string; name: string } | undefined {
  const bytes = Buffer.byteLength(path);
  if (bytes <= 100) return { prefix: '', name: path };
  if (bytes > 256) return undefined;
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name !== '') return { prefix, name };
  }
  return undefined;
}

/**
 * A tar writer producing POSIX ustar with PAX extended headers where ustar cannot hold a value
 * (long paths and link targets, big ids and sizes, fractional times, xattrs). Output goes to a
 * synchronous `write` callback: a file descriptor or an in-memory list.
 */
export class TarWriter {
  constructor(private readonly write: (chunk: Buffer) => void) {}

  /** Write one entry; `data` is the content of a file (nothing for other types). */
  add(entry: TarWriteEntry, data?: Buffer): void {
    this.header(entry, data?.length ?? 0);
    if (data !== undefined && data.length > 0) {
      this.write(data);
      this.pad(data.length);
    }
  }

  /** Write a file entry whose content is copied from `sourcePath` (`size` bytes). */
  addFromFile(entry: TarWriteEntry, sourcePath: string, size: number): void {
    this.header(entry, size);
    const fd = openSync(sourcePath, 'r');
    try {
      const buffer = Buffer.allocUnsafe(Math.min(COPY_CHUNK, Math.max(size, 1)));
      let done = 0;
      while (done < size) {
        const n = readSync(fd, buffer, 0, Math.min(buffer.length, size - done), done);
        if (n === 0) throw new Error(`${sourcePath} is shorter than ${size} bytes`);
        this.write(buffer.subarray(0, n));
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    this.pad(size);
  }

  /** The end-of-archive marker: two zero blocks. */
  finish(): void {
    this.write(ZEROS);
  }

  private header(entry: TarWriteEntry, size: number): void {
    const pax: [string, string | Buffer][] = [];
    const split = splitPath(entry.path);
    if (split === undefined) pax.push(['path', entry.path]);
    const linkpath = entry.linkpath ?? '';
    if (Buffer.byteLength(linkpath) > 100) pax.push(['linkpath', linkpath]);
    const uid = entry.uid ?? 0;
    const gid = entry.gid ?? 0;
    const mtime = entry.mtime ?? 0;
    if (uid > octalLimit(8)) pax.push(['uid', String(uid)]);
    if (gid > octalLimit(8)) pax.push(['gid', String(gid)]);
    if (size > octalLimit(12)) pax.push(['size', String(size)]);
    if (!Number.isInteger(mtime) || mtime < 0 || mtime > octalLimit(12)) pax.push(['mtime', String(mtime)]);
    const xattrs = entry.xattrs instanceof Map ? [...entry.xattrs] : Object.entries(entry.xattrs ?? {});
    for (const [name, value] of xattrs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) pax.push([`SCHILY.xattr.${name}`, value]);
    if (pax.length > 0) {
      const body = encodePax(pax);
      const paxName = `PaxHeaders/${(split?.name ?? entry.path.slice(-80)).slice(-80)}`;
      this.write(encodeHeader({
        name: paxName.slice(0, 100), mode: 0o644, uid: 0, gid: 0, size: body.length, mtime: 0, typeflag: 'x',
        linkname: '', uname: '', gname: '', devmajor: 0, devminor: 0, prefix: '',
      }));
      this.write(body);
      this.pad(body.length);
    }
    const name = split ?? { prefix: '', name: entry.path.slice(0, 100) };
    this.write(encodeHeader({
      name: name.name,
      prefix: name.prefix,
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
      uid,
      gid,
      size,
      mtime: Math.max(0, Math.floor(mtime)),
      typeflag: TYPEFLAG[entry.type],
      linkname: Buffer.byteLength(linkpath) > 100 ? '' : linkpath,
      uname: entry.uname ?? '',
      gname: entry.gname ?? '',
      devmajor: entry.devmajor ?? 0,
      devminor: entry.devminor ?? 0,
    }));
  }

  private pad(size: number): void {
    const padding = paddingOf(size);
    if (padding > 0) this.write(ZEROS.subarray(0, padding));
  }
}

/** Build a whole tar archive in memory. */
export function tarToBuffer(entries: Iterable<{ entry: TarWriteEntry; data?: Buffer }>): Buffer {
  const chunks: Buffer[] = [];
  const writer = new TarWriter((chunk) => chunks.push(Buffer.from(chunk)));
  for (const { entry, data } of entries) writer.add(entry, data);
  writer.finish();
  return Buffer.concat(chunks);
}
