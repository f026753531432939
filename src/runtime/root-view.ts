import { readFile, readlink } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import type { RootfsPlan } from '../kernel/launch-plan.js';
import { lstatOrUndefined } from '../util/fs-entry.js';

const MAX_LINKS = 40;

/** Reads files of a container's root as the container will see them, before anything is mounted. */
export interface RootView {
  /** The file's text, or undefined when it does not exist (or is not a regular file) in the container. */
  readFile(path: string): Promise<string | undefined>;
}

/** `..` and `.` applied, never above the root. */
function normalize(parts: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out;
}

/**
 * A view of a directory, or of the layers an overlay will stack (upper first): the topmost layer that
 * holds a path wins, a whiteout (a 0/0 character device) hides the layers below, and symlinks are
 * followed inside the root, never out of it (absolute targets and `..` stay within). Opaque directories
 * (an xattr) are not looked at: a path hidden only by one may be read from a lower layer.
 */
export class LayeredRootView implements RootView {
  private readonly layers: readonly string[];

  constructor(rootfs: Pick<RootfsPlan, 'path' | 'overlay'>) {
    this.layers = rootfs.overlay === undefined ? [rootfs.path] : [rootfs.overlay.upperdir, ...rootfs.overlay.lowerdirs];
  }

  async readFile(path: string): Promise<string | undefined> {
    const host = await this.resolve(path);
    if (host === undefined) return undefined;
    try {
      return await readFile(host, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EISDIR' || code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** The host path of the topmost entry for `path`, symlinks followed; undefined when absent. */
  async resolve(path: string): Promise<string | undefined> {
    let parts = normalize(path.split('/'));
    let links = 0;
    for (let i = 0; i < parts.length; i++) {
      const prefix = parts.slice(0, i + 1);
      const top = await this.topmost(prefix);
      if (top === undefined) return undefined;
      if (top.stats.isSymbolicLink()) {
        if (++links > MAX_LINKS) return undefined;
        const target = await readlink(top.host);
        const base = target.startsWith('/') ? [] : parts.slice(0, i);
        parts = normalize([...base, ...target.split('/'), ...parts.slice(i + 1)]);
        i = -1;
        continue;
      }
      if (i < parts.length - 1 && !top.stats.isDirectory()) return undefined;
      if (i === parts.length - 1) return top.host;
    }
    return this.layers[0];
  }

  private async topmost(parts: readonly string[]): Promise<{ host: string; stats: Stats } | undefined> {
    for (const layer of this.layers) {
      const host = join(layer, ...parts);
      const stats = await lstatOrUndefined(host);
      if (stats === undefined) continue;
      if (stats.isCharacterDevice() && stats.rdev === 0) return undefined;
      return { host, stats };
    }
    return undefined;
  }
}
