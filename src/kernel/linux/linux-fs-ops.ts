import { chmodSync, existsSync, lchownSync, lutimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { TscError } from '../../errors/index.js';
import type { FsOps, SpecialFileKind } from '../fs-ops.js';

/** The functions of build/native/fsops.node (src/native/fsops/fsops.c). */
interface FsOpsAddon {
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: Uint8Array): void;
  lgetxattr(path: string, name: string): Buffer | null;
  llistxattr(path: string): string[];
  syncfs(path: string): void;
}

const FILE_TYPE: Record<SpecialFileKind, number> = { char: 0o020000, block: 0o060000, fifo: 0o010000 };

/** Where `npm run build` puts the addon, seen from src/kernel/linux/ and dist/kernel/linux/ alike. */
export const DEFAULT_FSOPS_ADDON = fileURLToPath(new URL('../../../build/native/fsops.node', import.meta.url));

/** {@link FsOps} on Linux: Node's fs where it suffices, the fsops addon for the rest. */
export class LinuxFsOps implements FsOps {
  private readonly addon: FsOpsAddon;

  constructor(addonPath: string = DEFAULT_FSOPS_ADDON) {
    if (!existsSync(addonPath)) {
      throw new TscError('NATIVE_MISSING', `native addon ${addonPath} is missing`, {
        hint: 'build it with `npm run build` (needs a C compiler and the Node headers)',
      });
    }
    try {
      this.addon = createRequire(import.meta.url)(addonPath) as FsOpsAddon;
    } catch (err) {
      throw new TscError('NATIVE_MISSING', `native addon ${addonPath} cannot be loaded: ${(err as Error).message}`, {
        hint: 'rebuild it with `npm run build` for this Node version',
        cause: err,
      });
    }
  }

  mknod(path: string, kind: SpecialFileKind, mode: number, major: number, minor: number): void {
    this.addon.mknod(path, FILE_TYPE[kind] | (mode & 0o7777), major, minor);
    // mknod(2) applies the umask; the caller asked for these exact bits.
    chmodSync(path, mode & 0o7777);
  }

  lsetxattr(path: string, name: string, value: Uint8Array): void {
    this.addon.lsetxattr(path, name, value);
  }

  lgetxattr(path: string, name: string): Buffer | undefined {
    return this.addon.lgetxattr(path, name) ?? undefined;
  }

  llistxattr(path: string): string[] {
    return this.addon.llistxattr(path);
  }

  lchown(path: string, uid: number, gid: number): void {
    lchownSync(path, uid, gid);
  }

  lutimes(path: string, atime: number, mtime: number): void {
    lutimesSync(path, atime, mtime);
  }

  syncfs(path: string): void {
    this.addon.syncfs(path);
  }
}
