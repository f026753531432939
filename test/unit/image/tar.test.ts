import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile, link } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { TarReader } from '../../../src/image/tar/tar-reader.js';
import { tarToBuffer, type TarWriteEntry } from '../../../src/image/tar/tar-writer.js';
import type { TarEntry, TarSink } from '../../../src/image/tar/tar-entry.js';

interface Read { entry: TarEntry; data: Buffer }

class Collect implements TarSink {
  readonly items: Read[] = [];
  private chunks: Buffer[] = [];
  entry(entry: TarEntry): void { this.chunks = []; this.items.push({ entry, data: Buffer.alloc(0) }); }
  data(chunk: Buffer): void { this.chunks.push(Buffer.from(chunk)); }
  entryEnd(): void { const last = this.items[this.items.length - 1]; if (last) last.data = Buffer.concat(this.chunks); }
}

function read(archive: Buffer, chunkSize = archive.length): Read[] {
  const sink = new Collect();
  const reader = new TarReader(sink);
  for (let at = 0; at < archive.length; at += chunkSize) reader.write(archive.subarray(at, at + chunkSize));
  reader.end();
  return sink.items;
}

const LONG = `${'deep/'.repeat(40)}file-with-a-long-name.txt`;

const ENTRIES: { entry: TarWriteEntry; data?: Buffer }[] = [
  { entry: { path: 'dir/', type: 'directory', mode: 0o1777, mtime: 1_700_000_000 } },
  { entry: { path: 'dir/file', type: 'file', mode: 0o4755, uid: 1000, gid: 100, uname: 'u', gname: 'g', mtime: 1_700_000_001 }, data: Buffer.from('hello\n') },
  { entry: { path: LONG, type: 'file', mtime: 1.5 }, data: Buffer.alloc(1500, 7) },
  { entry: { path: 'big-ids', type: 'file', uid: 3_000_000_000, gid: 4_000_000_000, xattrs: { 'security.capability': Buffer.from([1, 0, 0, 2]), 'user.note': 'hi' } }, data: Buffer.alloc(0) },
  { entry: { path: 'link', type: 'symlink', linkpath: `/${'x'.repeat(150)}` } },
  { entry: { path: 'hard', type: 'hardlink', linkpath: 'dir/file' } },
  { entry: { path: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 } },
  { entry: { path: 'dev/sda', type: 'block', mode: 0o660, devmajor: 8, devminor: 0 } },
  { entry: { path: 'fifo', type: 'fifo', mode: 0o600 } },
];

describe('tar reader and writer', () => {
  it('read back what the writer wrote: types, modes, ids, times, long paths, xattrs and data', () => {
    const items = read(tarToBuffer(ENTRIES));
    expect(items.map((i) => [i.entry.path, i.entry.type])).toEqual(ENTRIES.map((e) => [e.entry.path, e.entry.type]));
    const [dir, file, long, ids, sym, hard, chr, blk] = items;
    expect(dir?.entry.mode).toBe(0o1777);
    expect(file?.entry).toMatchObject({ mode: 0o4755, uid: 1000, gid: 100, uname: 'u', gname: 'g', mtime: 1_700_000_001, size: 6 });
    expect(file?.data.toString()).toBe('hello\n');
    expect(long?.entry.mtime).toBe(1.5);
    expect(long?.data).toEqual(Buffer.alloc(1500, 7));
    expect(ids?.entry).toMatchObject({ uid: 3_000_000_000, gid: 4_000_000_000 });
    expect(ids?.entry.xattrs).toEqual(new Map([['security.capability', Buffer.from([1, 0, 0, 2])], ['user.note', Buffer.from('hi')]]));
    expect(sym?.entry.linkpath).toBe(`/${'x'.repeat(150)}`);
    expect(hard?.entry.linkpath).toBe('dir/file');
    expect(chr?.entry).toMatchObject({ devmajor: 1, devminor: 3, mode: 0o666 });
    expect(blk?.entry).toMatchObject({ devmajor: 8, devminor: 0 });
  });

  it('gives the same entries whatever the chunking of the input', () => {
    const archive = tarToBuffer(ENTRIES);
    const whole = read(archive);
    for (const size of [1, 7, 511, 513, 4096]) expect(read(archive, size)).toEqual(whole);
  });

  it('writes the same bytes for the same entries', () => {
    expect(tarToBuffer(ENTRIES).equals(tarToBuffer(ENTRIES))).toBe(true);
  });

  it('refuses a damaged header and a truncated archive', () => {
    const archive = tarToBuffer(ENTRIES);
    const damaged = Buffer.from(archive);
    damaged[600] = (damaged[600] ?? 0) ^ 0xff;
    expect(() => read(damaged)).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID', message: expect.stringContaining('checksum') }));
    expect(() => read(archive.subarray(0, 1100))).toThrow(expect.objectContaining({ code: 'IMAGE_INVALID', message: expect.stringContaining('unexpected end') }));
  });

  describe('archives written by GNU tar', () => {
    let dir: string;
    const split = `${'p'.repeat(80)}/${'q'.repeat(80)}`;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'tsc-tar-'));
      const src = join(dir, 'src');
      await mkdir(join(src, 'p'.repeat(80)), { recursive: true });
      await writeFile(join(src, split), 'split\n');
      await symlink('t'.repeat(90), join(src, 'sym'));
      await writeFile(join(src, 'short'), 'short\n');
      await link(join(src, 'short'), join(src, 'hard'));
      await mkdir(join(dir, 'long', 'a'.repeat(120)), { recursive: true });
      await writeFile(join(dir, 'long', 'a'.repeat(120), 'b'.repeat(120)), 'long\n');
      await symlink('t'.repeat(130), join(dir, 'long', 'sym'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    async function gnuTar(format: string, from: string): Promise<Map<string, Read>> {
      const out = join(dir, `${format}-${from}.tar`);
      await execa('tar', ['--format', format, '--owner=0', '--group=0', '--numeric-owner', '-cf', out, '-C', join(dir, from), '.']);
      return new Map(read(await readFile(out)).map((i) => [i.entry.path.replace(/^\.\//, ''), i]));
    }

    it.each(['gnu', 'posix', 'ustar'])('reads the %s format: prefix-split names, symlinks, hardlinks', async (format) => {
      const byPath = await gnuTar(format, 'src');
      expect(byPath.get(split)?.data.toString()).toBe('split\n');
      expect(byPath.get('sym')?.entry).toMatchObject({ type: 'symlink', linkpath: 't'.repeat(90) });
      expect(byPath.get('hard')?.entry.type === 'hardlink' || byPath.get('short')?.entry.type === 'hardlink').toBe(true);
    });

    it.each(['gnu', 'posix'])('reads the long names and link targets of the %s format', async (format) => {
      const byPath = await gnuTar(format, 'long');
      expect(byPath.get(`${'a'.repeat(120)}/${'b'.repeat(120)}`)?.data.toString()).toBe('long\n');
      expect(byPath.get('sym')?.entry.linkpath).toBe('t'.repeat(130));
    });
  });
});
