import { lchownSync, lutimesSync, writeFileSync } from 'node:fs';
import type { FsOps, SpecialFileKind } from '../../../src/kernel/fs-ops.js';

/**
 * An FsOps that needs no root: special files become empty regular files, and every device node,
 * xattr and owner is recorded by path so tests can check what the real calls would have done.
 */
export class FakeFsOps implements FsOps {
  readonly nodes = new Map<string, { kind: SpecialFileKind; mode: number; major: number; minor: number }>();
  readonly xattrs = new Map<string, Map<string, Buffer>>();
  readonly owners = new Map<string, { uid: number; gid: number }>();
  syncs = 0;

  mknod(path: string, kind: SpecialFileKind, mode: number, major: number, minor: number): void {
    writeFileSync(path, '', { flag: 'wx', mode: mode & 0o777 });
    this.nodes.set(path, { kind, mode, major, minor });
  }

  lsetxattr(path: string, name: string, value: Uint8Array): void {
    const map = this.xattrs.get(path) ?? new Map<string, Buffer>();
    map.set(name, Buffer.from(value));
    this.xattrs.set(path, map);
  }

  lgetxattr(path: string, name: string): Buffer | undefined {
    return this.xattrs.get(path)?.get(name);
  }

  llistxattr(path: string): string[] {
    return [...(this.xattrs.get(path)?.keys() ?? [])];
  }

  lchown(path: string, uid: number, gid: number): void {
    this.owners.set(path, { uid, gid });
    if (process.getuid?.() === 0) lchownSync(path, uid, gid);
  }

  lutimes(path: string, atime: number, mtime: number): void {
    lutimesSync(path, atime, mtime);
  }

  syncfs(): void {
    this.syncs++;
  }
}
