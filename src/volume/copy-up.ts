import type { Stats } from 'node:fs';
import { chmod, copyFile, link, lstat, mkdir, readdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsOps } from '../kernel/fs-ops.js';
import { isWhiteout, lstatOrUndefined } from '../util/fs-entry.js';

const OPAQUE = 'trusted.overlay.opaque';

/** Counts of what a copy-up wrote. */
export interface CopyUpResult {
  files: number;
  directories: number;
}

/**
 * Copies what a container would see at `path` in an image into `dest` (an existing, empty directory):
 * the merged view of the unpacked layers (top first, as overlayfs stacks them), with whiteouts hiding
 * what is below them and opaque directories hiding the layers under them. Owners, modes, times,
 * symlinks, hard links within the copy, device nodes and extended attributes are kept; `dest` itself
 * takes the owner and mode of the image's directory. Nothing is copied when the image has no
 * directory there.
 */
export class CopyUp {
  private readonly links = new Map<string, string>();
  private readonly result: CopyUpResult = { files: 0, directories: 0 };

  constructor(private readonly fs: FsOps) {}

  async copy(layers: readonly string[], path: string, dest: string): Promise<CopyUpResult> {
    const parts = path.split('/').filter((p) => p !== '' && p !== '.');
    if (parts.includes('..')) return this.result;
    const sources = await this.contributing(layers, parts);
    const top = sources[0];
    if (top === undefined) return this.result;
    await this.copyTree(sources, dest);
    await this.copyMeta(top, dest, await lstat(top));
    return this.result;
  }

  /** The directories at `parts` in each layer that the merged view shows, top first. */
  private async contributing(layers: readonly string[], parts: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const layer of layers) {
      let stop = false;
      let present = true;
      for (let i = 1; i <= parts.length; i++) {
        const stats = await lstatOrUndefined(join(layer, ...parts.slice(0, i)));
        if (stats === undefined) {
          present = false;
          break;
        }
        if (!stats.isDirectory()) {
          // A whiteout or a file hides this path, and everything below it, in the lower layers.
          present = false;
          stop = true;
          break;
        }
        if (this.isOpaque(join(layer, ...parts.slice(0, i)))) stop = true;
      }
      if (present) out.push(join(layer, ...parts));
      if (stop) break;
    }
    return out;
  }

  private isOpaque(dir: string): boolean {
    return this.fs.lgetxattr(dir, OPAQUE)?.toString() === 'y';
  }

  /** Copies the merged content of `sources` (the same directory in several layers, top first) into `dest`. */
  private async copyTree(sources: readonly string[], dest: string): Promise<void> {
    const seen = new Set<string>();
    for (const [index, source] of sources.entries()) {
      for (const name of (await readdir(source)).sort()) {
        if (seen.has(name)) continue;
        seen.add(name);
        const from = join(source, name);
        const stats = await lstat(from);
        if (isWhiteout(stats)) continue;
        const to = join(dest, name);
        if (stats.isDirectory()) {
          const below = !this.isOpaque(from) ? await this.lowerDirs(sources.slice(index + 1), name) : [];
          await mkdir(to);
          await this.copyTree([from, ...below], to);
          await this.copyMeta(from, to, stats);
          this.result.directories++;
        } else {
          await this.copyEntry(from, to, stats);
        }
      }
    }
  }

  /** `name` in the lower layers, while it stays a directory and nothing opaque hides the rest. */
  private async lowerDirs(lower: readonly string[], name: string): Promise<string[]> {
    const out: string[] = [];
    for (const dir of lower) {
      const stats = await lstatOrUndefined(join(dir, name));
      if (stats === undefined) continue;
      if (!stats.isDirectory()) break;
      out.push(join(dir, name));
      if (this.isOpaque(join(dir, name))) break;
    }
    return out;
  }

  private async copyEntry(from: string, to: string, stats: Stats): Promise<void> {
    const key = `${stats.dev}:${stats.ino}`;
    const first = stats.nlink > 1 && !stats.isSymbolicLink() ? this.links.get(key) : undefined;
    if (first !== undefined) {
      await link(first, to);
      this.result.files++;
      return;
    }
    if (stats.isSymbolicLink()) {
      await symlink(await readlink(from), to);
    } else if (stats.isFile()) {
      await copyFile(from, to);
    } else if (stats.isCharacterDevice() || stats.isBlockDevice()) {
      this.fs.mknod(to, stats.isCharacterDevice() ? 'char' : 'block', stats.mode & 0o7777, major(stats.rdev), minor(stats.rdev));
    } else if (stats.isFIFO()) {
      this.fs.mknod(to, 'fifo', stats.mode & 0o7777, 0, 0);
    } else {
      return; // Sockets are not content.
    }
    if (stats.nlink > 1 && !stats.isSymbolicLink()) this.links.set(key, to);
    await this.copyMeta(from, to, stats);
    this.result.files++;
  }

  /** Owner, extended attributes (overlay's own excepted), mode (after chown, which clears setuid) and times. */
  private async copyMeta(from: string, to: string, stats: Stats): Promise<void> {
    this.fs.lchown(to, stats.uid, stats.gid);
    for (const name of this.fs.llistxattr(from)) {
      if (name.startsWith('trusted.overlay.')) continue;
      const value = this.fs.lgetxattr(from, name);
      if (value !== undefined) this.fs.lsetxattr(to, name, value);
    }
    if (!stats.isSymbolicLink()) await chmod(to, stats.mode & 0o7777);
    this.fs.lutimes(to, stats.atimeMs / 1000, stats.mtimeMs / 1000);
  }
}

function major(rdev: number): number {
  return (rdev >>> 8) & 0xfff;
}

function minor(rdev: number): number {
  return (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
}
