import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lstat, mkdir, mkdtemp, rm, writeFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinuxFsOps } from '../../../src/kernel/linux/linux-fs-ops.js';
import { unpackLayer } from '../../../src/image/unpack/unpack-layer.js';
import { tarToBuffer } from '../../../src/image/tar/tar-writer.js';
import { isRoot } from './support/mounts.js';

// A file capability (VFS_CAP_REVISION_2, cap_net_raw permitted+effective) as `setcap cap_net_raw+ep` writes it.
const CAP_NET_RAW = Buffer.from([0x01, 0x00, 0x00, 0x02, 0x00, 0x20, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe.skipIf(!isRoot)('LinuxFsOps (fsops.node)', () => {
  let dir: string;
  const fsOps = isRoot ? new LinuxFsOps() : (undefined as unknown as LinuxFsOps);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-fsops-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('makes device nodes and fifos with exact modes', async () => {
    fsOps.mknod(join(dir, 'null'), 'char', 0o666, 1, 3);
    fsOps.mknod(join(dir, 'loop'), 'block', 0o660, 7, 0);
    fsOps.mknod(join(dir, 'fifo'), 'fifo', 0o620, 0, 0);
    const nul = await lstat(join(dir, 'null'));
    expect([nul.isCharacterDevice(), nul.mode & 0o7777, nul.rdev]).toEqual([true, 0o666, (1 << 8) | 3]);
    const loop = await lstat(join(dir, 'loop'));
    expect([loop.isBlockDevice(), loop.mode & 0o7777, loop.rdev]).toEqual([true, 0o660, 7 << 8]);
    const fifo = await lstat(join(dir, 'fifo'));
    expect([fifo.isFIFO(), fifo.mode & 0o7777]).toEqual([true, 0o620]);
  });

  it('sets, reads and lists xattrs, on symlinks too, and reports errors by errno name', async () => {
    const file = join(dir, 'f');
    await writeFile(file, '');
    fsOps.lsetxattr(file, 'user.a', Buffer.from('1'));
    fsOps.lsetxattr(file, 'trusted.overlay.opaque', Buffer.from('y'));
    expect(fsOps.lgetxattr(file, 'user.a')?.toString()).toBe('1');
    expect(fsOps.lgetxattr(file, 'user.missing')).toBeUndefined();
    expect(fsOps.llistxattr(file).sort()).toEqual(['trusted.overlay.opaque', 'user.a']);
    await symlink('/nowhere', join(dir, 'l'));
    fsOps.lsetxattr(join(dir, 'l'), 'trusted.x', Buffer.from('on the link'));
    expect(fsOps.lgetxattr(join(dir, 'l'), 'trusted.x')?.toString()).toBe('on the link');
    expect(() => fsOps.mknod(file, 'char', 0, 0, 0)).toThrow(expect.objectContaining({ code: 'EEXIST', syscall: 'mknod' }));
    expect(() => fsOps.lgetxattr(join(dir, 'missing'), 'user.a')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(() => fsOps.syncfs(dir)).not.toThrow();
  });

  it('refuses to load an addon that is not there, with a hint to build it', () => {
    expect(() => new LinuxFsOps(join(dir, 'missing.node'))).toThrow(expect.objectContaining({ code: 'NATIVE_MISSING' }));
  });

  it('unpacks owners with high ids, setuid bits and file capabilities in the order that keeps them', async () => {
    const tar = tarToBuffer([
      { entry: { path: 'bin/', type: 'directory', uid: 100_000, gid: 100_000, mtime: 1_500_000_000 } },
      { entry: { path: 'bin/ping', type: 'file', mode: 0o4755, uid: 0, gid: 0, mtime: 1_500_000_001, xattrs: { 'security.capability': CAP_NET_RAW } }, data: Buffer.from('ping') },
      { entry: { path: 'bin/sudo', type: 'file', mode: 0o6755, uid: 3_000_000_000, gid: 3_000_000_001 }, data: Buffer.from('sudo') },
      { entry: { path: 'bin/sh', type: 'symlink', linkpath: 'busybox', uid: 42, gid: 43, mtime: 1_400_000_000 } },
      { entry: { path: 'dev/console', type: 'char', mode: 0o600, uid: 5, gid: 5, devmajor: 5, devminor: 1 } },
      { entry: { path: 'gone', type: 'file' }, data: Buffer.alloc(0) },
      { entry: { path: '.wh.gone', type: 'file' }, data: Buffer.alloc(0) },
    ]);
    const blob = join(dir, 'layer.tar');
    await writeFile(blob, tar);
    const dest = join(dir, 'layer');
    await mkdir(dest);
    await unpackLayer(blob, dest, { fsOps });
    const bin = await lstat(join(dest, 'bin'));
    expect([bin.uid, bin.gid, bin.mtimeMs]).toEqual([100_000, 100_000, 1_500_000_000_000]);
    const ping = await lstat(join(dest, 'bin/ping'));
    expect([ping.mode & 0o7777, ping.mtimeMs]).toEqual([0o4755, 1_500_000_001_000]);
    expect(fsOps.lgetxattr(join(dest, 'bin/ping'), 'security.capability')).toEqual(CAP_NET_RAW);
    const sudo = await lstat(join(dest, 'bin/sudo'));
    expect([sudo.uid, sudo.gid, sudo.mode & 0o7777]).toEqual([3_000_000_000, 3_000_000_001, 0o6755]);
    const sh = await lstat(join(dest, 'bin/sh'));
    expect([sh.isSymbolicLink(), sh.uid, sh.gid, sh.mtimeMs]).toEqual([true, 42, 43, 1_400_000_000_000]);
    const consoleDev = await lstat(join(dest, 'dev/console'));
    expect([consoleDev.isCharacterDevice(), consoleDev.rdev, consoleDev.uid, consoleDev.mode & 0o7777]).toEqual([true, (5 << 8) | 1, 5, 0o600]);
    const gone = await lstat(join(dest, 'gone'));
    expect([gone.isCharacterDevice(), gone.rdev, gone.uid, gone.gid]).toEqual([true, 0, 0, 0]);
  });
});
