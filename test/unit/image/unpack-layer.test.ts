import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execa } from 'execa';
import { sha256Digest } from '../../../src/image/digest.js';
import { unpackLayer } from '../../../src/image/unpack/unpack-layer.js';
import { tarToBuffer, type TarWriteEntry } from '../../../src/image/tar/tar-writer.js';
import { FakeFsOps } from './fake-fs-ops.js';

type Item = { entry: TarWriteEntry; data?: Buffer };
const file = (path: string, content: string, extra: Partial<TarWriteEntry> = {}): Item => ({ entry: { path, type: 'file', ...extra }, data: Buffer.from(content) });
const dir = (path: string, extra: Partial<TarWriteEntry> = {}): Item => ({ entry: { path, type: 'directory', ...extra } });

describe('unpackLayer (with a recording FsOps, no root)', () => {
  let root: string;
  let dest: string;
  let outside: string;
  let fsOps: FakeFsOps;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tsc-unpack-'));
    dest = join(root, 'layer');
    outside = join(root, 'outside');
    await mkdir(dest);
    await mkdir(outside);
    await writeFile(join(outside, 'canary'), 'canary\n');
    fsOps = new FakeFsOps();
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function unpack(items: Item[], compress: (tar: Buffer) => Buffer | Promise<Buffer> = (t) => t) {
    const tar = tarToBuffer(items);
    const blob = join(root, `blob-${Math.random().toString(16).slice(2)}`);
    await writeFile(blob, await compress(tar));
    const result = await unpackLayer(blob, dest, { fsOps, ownership: false });
    return { result, diffId: sha256Digest(tar), blob };
  }

  it('writes files, directories, symlinks and hardlinks with their modes and times', async () => {
    const { result, diffId } = await unpack([
      dir('./etc/', { mode: 0o750, mtime: 1_600_000_000 }),
      file('./etc/conf', 'x=1\n', { mode: 0o640, mtime: 1_600_000_001 }),
      file('usr/bin/tool', 'tool', { mode: 0o4755 }),
      { entry: { path: 'etc/link', type: 'symlink', linkpath: '/etc/conf' } },
      { entry: { path: 'etc/hard', type: 'hardlink', linkpath: './etc/conf' } },
    ]);
    expect(result).toEqual({ diffId, entries: 5, bytes: 8 });
    const etc = await lstat(join(dest, 'etc'));
    expect(etc.mode & 0o7777).toBe(0o750);
    expect(etc.mtimeMs).toBe(1_600_000_000_000);
    const conf = await lstat(join(dest, 'etc/conf'));
    expect([conf.mode & 0o7777, conf.mtimeMs, conf.nlink]).toEqual([0o640, 1_600_000_001_000, 2]);
    expect((await lstat(join(dest, 'usr/bin/tool'))).mode & 0o7777).toBe(0o4755);
    expect(await readlink(join(dest, 'etc/link'))).toBe('/etc/conf');
    expect(await readFile(join(dest, 'etc/hard'), 'utf8')).toBe('x=1\n');
  });

  it('reads gzip and zstd layers to the same tree and diff id as the plain tar', async () => {
    const items = [dir('a/'), file('a/b', 'content')];
    const plain = await unpack(items);
    await rm(dest, { recursive: true });
    await mkdir(dest);
    const gz = await unpack(items, (t) => gzipSync(t));
    await rm(dest, { recursive: true });
    await mkdir(dest);
    const zst = await unpack(items, async (t) => Buffer.from((await execa('zstd', ['-q', '-c'], { input: t, encoding: 'buffer' })).stdout));
    expect(gz.result.diffId).toBe(plain.diffId);
    expect(zst.result.diffId).toBe(plain.diffId);
    expect(await readFile(join(dest, 'a/b'), 'utf8')).toBe('content');
  });

  it('turns whiteouts into 0/0 character devices and opaque markers into the overlay xattr', async () => {
    await unpack([dir('d/'), file('d/.wh.gone', ''), file('.wh.top', ''), file('o/.wh..wh..opq', ''), file('o/.wh..wh.plnk', '')]);
    expect(fsOps.nodes.get(join(dest, 'd/gone'))).toEqual({ kind: 'char', mode: 0, major: 0, minor: 0 });
    expect(fsOps.nodes.get(join(dest, 'top'))).toEqual({ kind: 'char', mode: 0, major: 0, minor: 0 });
    expect(fsOps.lgetxattr(join(dest, 'o'), 'trusted.overlay.opaque')?.toString()).toBe('y');
    expect((await readdir(join(dest, 'o'))).sort()).toEqual([]);
    expect((await readdir(dest)).sort()).toEqual(['d', 'o', 'top']);
  });

  it('creates device nodes and fifos and sets xattrs, but never overlay xattrs from the layer', async () => {
    await unpack([
      { entry: { path: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 } },
      { entry: { path: 'dev/sda', type: 'block', mode: 0o660, devmajor: 8, devminor: 0 } },
      { entry: { path: 'run/fifo', type: 'fifo', mode: 0o600 } },
      file('bin/ping', 'ping', { xattrs: { 'security.capability': Buffer.from([1, 2, 3]), 'trusted.overlay.redirect': '/etc' } }),
    ]);
    expect(fsOps.nodes.get(join(dest, 'dev/null'))).toEqual({ kind: 'char', mode: 0o666, major: 1, minor: 3 });
    expect(fsOps.nodes.get(join(dest, 'dev/sda'))).toEqual({ kind: 'block', mode: 0o660, major: 8, minor: 0 });
    expect(fsOps.nodes.get(join(dest, 'run/fifo'))?.kind).toBe('fifo');
    expect(fsOps.llistxattr(join(dest, 'bin/ping'))).toEqual(['security.capability']);
  });

  it('replaces what an earlier entry wrote, without following a symlink in the way', async () => {
    await unpack([
      { entry: { path: 'x', type: 'symlink', linkpath: join(outside, 'canary') } },
      file('x', 'replaced'),
      file('y', 'file first'),
      dir('y/'),
      file('y/inside', 'ok'),
    ]);
    expect(await readFile(join(dest, 'x'), 'utf8')).toBe('replaced');
    expect((await lstat(join(dest, 'x'))).isFile()).toBe(true);
    expect(await readFile(join(dest, 'y/inside'), 'utf8')).toBe('ok');
    expect(await readFile(join(outside, 'canary'), 'utf8')).toBe('canary\n');
  });

  it.each<[string, Item[]]>([
    ['a `..` path', [file('../outside/canary', 'pwned')]],
    ['a `..` in the middle', [dir('a/'), file('a/../../outside/canary', 'pwned')]],
    ['an absolute path', [file('/outside/canary', 'pwned')]],
    ['a write through an absolute symlink', [{ entry: { path: 'evil', type: 'symlink', linkpath: '/' } }, file('evil/canary', 'pwned')]],
    ['a write through a relative symlinked parent', [{ entry: { path: 'up', type: 'symlink', linkpath: '../outside' } }, file('up/canary', 'pwned')]],
    ['a directory through a symlinked parent', [{ entry: { path: 'up', type: 'symlink', linkpath: '..' } }, dir('up/outside/')]],
    ['a write under a directory an entry replaced with a symlink', [dir('d/'), file('d/first', 'ok'), { entry: { path: 'd', type: 'symlink', linkpath: '../outside' } }, file('d/canary', 'pwned')]],
    ['a `..` after doubled slashes', [dir('a/'), file('a//..//../outside/canary', 'pwned')]],
    ['a whiteout through a symlinked parent', [{ entry: { path: 'up', type: 'symlink', linkpath: '../outside' } }, file('up/.wh.canary', '')]],
    ['a hardlink to an outside path', [{ entry: { path: 'h', type: 'hardlink', linkpath: '../outside/canary' } }]],
    ['a hardlink to an absolute path', [{ entry: { path: 'h', type: 'hardlink', linkpath: '/etc/passwd' } }]],
    ['a hardlink through a symlinked parent', [{ entry: { path: 'up', type: 'symlink', linkpath: '../outside' } }, { entry: { path: 'h', type: 'hardlink', linkpath: 'up/canary' } }]],
  ])('refuses %s with LAYER_UNSAFE and leaves the outside alone', async (_, items) => {
    await expect(unpack(items)).rejects.toMatchObject({ code: 'LAYER_UNSAFE' });
    expect(await readdir(outside)).toEqual(['canary']);
    expect(await readFile(join(outside, 'canary'), 'utf8')).toBe('canary\n');
  });

  it('normalises `./`, `.` and doubled slashes, and keeps names that only start with a dot', async () => {
    await unpack([
      dir('./a//b/./'),
      file('a/b//./c', 'c'),
      dir('.hidden/'),
      file('.hidden/.profile', 'p'),
      file('a/..b', 'dots'),
    ]);
    expect(await readFile(join(dest, 'a/b/c'), 'utf8')).toBe('c');
    expect(await readFile(join(dest, '.hidden/.profile'), 'utf8')).toBe('p');
    expect(await readFile(join(dest, 'a/..b'), 'utf8')).toBe('dots');
    expect((await readdir(dest)).sort()).toEqual(['.hidden', 'a']);
  });

  it('names the entry in the error', async () => {
    await expect(unpack([file('../x', '')])).rejects.toMatchObject({ message: expect.stringContaining('`../x`') });
  });

  it('checks the diff id and refuses a layer that does not match', async () => {
    const tar = tarToBuffer([file('a', 'a')]);
    const blob = join(root, 'blob');
    await writeFile(blob, tar);
    await expect(unpackLayer(blob, dest, { fsOps, ownership: false, expectedDiffId: sha256Digest('other') })).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('refuses a corrupt gzip stream as IMAGE_INVALID', async () => {
    const gz = gzipSync(tarToBuffer([file('a', 'x'.repeat(10_000))]));
    gz[gz.length - 20] = (gz[gz.length - 20] ?? 0) ^ 0xff;
    const blob = join(root, 'blob.gz');
    await writeFile(blob, gz);
    await expect(unpackLayer(blob, dest, { fsOps, ownership: false })).rejects.toMatchObject({ code: 'IMAGE_INVALID' });
  });

  it('records the owners of symlinks and directories when asked to keep them', async () => {
    const items = [{ entry: { path: 'l', type: 'symlink', linkpath: 'x', uid: 7, gid: 8 } } as Item, dir('d/', { uid: 9, gid: 10 })];
    const tar = tarToBuffer(items);
    const blob = join(root, 'blob');
    await writeFile(blob, tar);
    await unpackLayer(blob, dest, { fsOps, ownership: true });
    expect([...fsOps.owners]).toEqual([[join(dest, 'l'), { uid: 7, gid: 8 }], [join(dest, 'd'), { uid: 9, gid: 10 }]]);
  });
});
