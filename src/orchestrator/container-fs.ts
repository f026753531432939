import { mkdir, readdir, readlink, rm, chown } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { isWhiteout, lstatOrUndefined } from '../util/fs-entry.js';

const MAX_LINKS = 40;

/** An entry of the container's filesystem: where it is on the host, and what it is. */
export interface FsEntry {
  host: string;
  stats: Stats;
}

/**
 * A container's filesystem as `cp` sees it, from the host. A running container is one layer, its
 * root as its own mount namespace shows it (`/proc/<pid>/root`, volumes and binds included). A
 * stopped one is the stack of its overlay's upper dir and the image's layers: the topmost entry wins,
 * a whiteout hides the ones below, and writes go to the upper dir (parent directories copied up).
 *
 * Paths are resolved here, one component at a time, never by the kernel: a symlink's target is read
 * and applied inside the container's root (an absolute target starts at the container's `/`), and a
 * path that climbs above that root (`..` too many, through a link or not) is refused. Opaque
 * directories (an overlay xattr) are not looked at, so a stopped container may show files a directory
 * replaced in an upper layer.
 */
export class ContainerFs {
  constructor(private readonly layers: readonly string[], private readonly subject: string) {}

  /** The container path with `..`, `.` and symlinks applied (the last one only with `followLast`). */
  async resolve(path: string, followLast: boolean): Promise<string[]> {
    let parts = this.normalize([], path);
    let links = 0;
    for (let i = 0; i < parts.length; i++) {
      const last = i === parts.length - 1;
      const top = await this.topmost(parts.slice(0, i + 1));
      if (top === undefined) return parts;
      if (top.stats.isSymbolicLink() && (!last || followLast)) {
        if (++links > MAX_LINKS) throw this.refuse(path, 'too many levels of symbolic links');
        const target = await readlink(top.host);
        parts = this.normalize(target.startsWith('/') ? [] : parts.slice(0, i), `${target}/${parts.slice(i + 1).join('/')}`, path);
        i = -1;
        continue;
      }
      if (!last && !top.stats.isDirectory()) throw new TscError('USAGE', `${this.subject}: ${path}: not a directory`, { hint: 'check the path inside the container' });
    }
    return parts;
  }

  /** The topmost entry at these resolved parts; undefined when absent (or whited out). */
  async entry(parts: readonly string[]): Promise<FsEntry | undefined> {
    return this.topmost(parts);
  }

  /** The names in a directory, merged over the layers (whiteouts removed), sorted. */
  async list(parts: readonly string[]): Promise<string[]> {
    const names = new Set<string>();
    const hidden = new Set<string>();
    for (const layer of this.layers) {
      const dir = join(layer, ...parts);
      const stats = await lstatOrUndefined(dir);
      if (stats === undefined) continue;
      if (!stats.isDirectory()) break;
      for (const name of await readdir(dir)) {
        if (names.has(name) || hidden.has(name)) continue;
        const s = await lstatOrUndefined(join(dir, name));
        if (s !== undefined && isWhiteout(s)) hidden.add(name);
        else names.add(name);
      }
    }
    return [...names].sort();
  }

  /**
   * The host path to write `parts` at: in the top layer, with its parent directories made there as
   * the layers below have them (mode and owner), and a whiteout at the spot removed.
   */
  async writable(parts: readonly string[]): Promise<string> {
    const top = this.layers[0] as string;
    for (let i = 1; i < parts.length; i++) {
      const prefix = parts.slice(0, i);
      const here = join(top, ...prefix);
      const own = await lstatOrUndefined(here);
      if (own?.isDirectory() === true) continue;
      const below = await this.topmost(prefix);
      if (below === undefined || !below.stats.isDirectory()) throw new TscError('USAGE', `${this.subject}: /${prefix.join('/')} is not a directory`, { hint: 'copy to a directory that exists in the container' });
      if (own !== undefined) await rm(here, { force: true });
      await mkdir(here, { mode: below.stats.mode & 0o7777 });
      await chown(here, below.stats.uid, below.stats.gid);
    }
    const target = join(top, ...parts);
    const existing = await lstatOrUndefined(target);
    if (existing !== undefined && isWhiteout(existing)) await rm(target, { force: true });
    return target;
  }

  private async topmost(parts: readonly string[]): Promise<FsEntry | undefined> {
    for (const layer of this.layers) {
      const host = join(layer, ...parts);
      const stats = await lstatOrUndefined(host);
      if (stats === undefined) continue;
      if (isWhiteout(stats)) return undefined;
      return { host, stats };
    }
    return undefined;
  }

  private normalize(base: readonly string[], path: string, original = path): string[] {
    const out = [...base];
    for (const p of path.split('/')) {
      if (p === '' || p === '.') continue;
      if (p === '..') {
        if (out.length === 0) throw this.refuse(original, 'the path leads outside the container');
        out.pop();
      } else {
        out.push(p);
      }
    }
    return out;
  }

  private refuse(path: string, why: string): TscError {
    return new TscError('USAGE', `${this.subject}: ${path}: ${why}`, { hint: 'give a path that stays inside the container (symlinks are followed within it)' });
  }
}
