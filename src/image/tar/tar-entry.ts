/** The kinds of tar entries tscompose understands; `other` covers the rest (sparse files, volume labels, ...). */
export type TarEntryType = 'file' | 'hardlink' | 'symlink' | 'char' | 'block' | 'directory' | 'fifo' | 'other';

/** One tar entry with its PAX and GNU extensions already applied. */
export interface TarEntry {
  /** The path exactly as recorded (may start with `./`, end with `/`, or be unsafe). */
  path: string;
  type: TarEntryType;
  /** The raw type flag, for error messages about `other` entries. */
  typeflag: string;
  /** Permission bits including setuid, setgid and sticky. */
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  /** Bytes of data that follow (files only carry data that matters). */
  size: number;
  /** Modification time in seconds since the epoch (fractions from PAX). */
  mtime: number;
  /** Target of a symlink or hardlink. */
  linkpath: string;
  devmajor: number;
  devminor: number;
  /** Extended attributes from `SCHILY.xattr.*` (and libarchive's) PAX records. */
  xattrs: Map<string, Buffer>;
}

/** Receives a tar stream entry by entry. Calls are synchronous; throwing aborts the read. */
export interface TarSink {
  entry(entry: TarEntry): void;
  /** A piece of the current entry's data, in order. The buffer is only valid during the call. */
  data(chunk: Buffer): void;
  /** The current entry's data is complete. */
  entryEnd(): void;
}

export const BLOCK = 512;

export function paddingOf(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}
