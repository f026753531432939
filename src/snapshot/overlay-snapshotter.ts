import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readlink, rename, stat, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { SnapshotRecords, checkParents, unknownSnapshot } from './snapshot-records.js';
import type { Mount, SnapshotInfo, Snapshotter } from './snapshotter.js';

/** mount(2) copies at most one page of options, including the final NUL. */
export const MOUNT_OPTIONS_LIMIT = 4095;

export interface OverlaySnapshotterOptions {
  /** Override the option length limit (tests use a small one). */
  optionsLimit?: number;
}

/**
 * Snapshots as overlayfs mounts: each snapshot gets its own `upper` and `work` directories under
 * `<root>/s/<key>/`, the layers are the lower directories. Lower directories are named through
 * short links (`<root>/l/<12 hex>` → layer directory), so an image of ~90 layers fits the page
 * limit of mount options with absolute paths; beyond that, the mount uses paths relative to
 * `<root>` (`l/<id>`) and says so in its `cwd`, which holds several hundred layers.
 */
export class OverlaySnapshotter implements Snapshotter {
  private readonly records: SnapshotRecords;
  private linksCleaned: Promise<void> | undefined;

  constructor(readonly root: string, private readonly options: OverlaySnapshotterOptions = {}) {
    if (/[,:]/.test(root)) {
      throw new TscError('USAGE', `the snapshot directory ${root} contains \`,\` or \`:\``, {
        hint: 'overlayfs options cannot carry these characters; choose a data root without them',
      });
    }
    this.records = new SnapshotRecords(join(root, 's'));
  }

  async prepare(key: string, parents: readonly string[]): Promise<Mount[]> {
    await checkParents(parents);
    await this.records.create(key, parents, async (staging) => {
      await mkdir(join(staging, 'upper'), { mode: 0o755 });
      await mkdir(join(staging, 'work'), { mode: 0o700 });
    });
    return this.mounts(key);
  }

  async mounts(key: string): Promise<Mount[]> {
    const info = await this.records.read(key);
    if (info === undefined) throw unknownSnapshot(key);
    const links = await this.linksFor(info.parents);
    const dir = this.records.path(key);
    const tail = [`upperdir=${join(dir, 'upper')}`, `workdir=${join(dir, 'work')}`];
    const absolute = [`lowerdir=${links.map((l) => join(this.root, l)).join(':')}`, ...tail];
    if (absolute.join(',').length <= (this.options.optionsLimit ?? MOUNT_OPTIONS_LIMIT)) {
      return [{ type: 'overlay', source: 'overlay', options: absolute }];
    }
    const relative = [`lowerdir=${links.join(':')}`, ...tail];
    if (relative.join(',').length > (this.options.optionsLimit ?? MOUNT_OPTIONS_LIMIT)) {
      throw new TscError('IMAGE_INVALID', `snapshot \`${key}\`: ${info.parents.length} layers are too many for one overlay mount`, {
        hint: 'squash the image into fewer layers',
      });
    }
    return [{ type: 'overlay', source: 'overlay', options: relative, cwd: this.root }];
  }

  async remove(key: string): Promise<void> {
    await this.records.remove(key);
  }

  async list(): Promise<SnapshotInfo[]> {
    return this.records.list();
  }

  /** The link names (relative to root) of the lower directories, top layer first. */
  private async linksFor(parents: readonly string[]): Promise<string[]> {
    await mkdir(join(this.root, 'l'), { recursive: true });
    this.linksCleaned ??= this.removeDanglingLinks();
    await this.linksCleaned;
    if (parents.length === 0) {
      await mkdir(join(this.root, 'empty'), { recursive: true, mode: 0o755 });
      return ['empty'];
    }
    const links: string[] = [];
    for (const parent of [...parents].reverse()) links.push(await this.link(parent));
    return links;
  }

  private async link(target: string): Promise<string> {
    const name = join('l', createHash('sha256').update(target).digest('hex').slice(0, 12));
    const path = join(this.root, name);
    const current = await readlink(path).catch(() => undefined);
    if (current === target) return name;
    if (current !== undefined) {
      throw new TscError('INTERNAL', `snapshot link ${path} points at ${current}, not ${target}`, {
        hint: `remove ${path}; it is recreated when needed`,
      });
    }
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    await symlink(target, tmp);
    await rename(tmp, path);
    return name;
  }

  /** Links whose layer is gone (garbage-collected) are removed on the first use in a run. */
  private async removeDanglingLinks(): Promise<void> {
    const dir = join(this.root, 'l');
    for (const name of await readdir(dir)) {
      if (name.endsWith('.tmp')) continue;
      const path = join(dir, name);
      if (!(await stat(path).then(() => true, () => false))) await unlink(path).catch(() => undefined);
    }
  }
}
