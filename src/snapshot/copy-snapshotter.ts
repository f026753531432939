import { copyFile, lchown, lstat, lutimes, mkdir, readdir, readlink, rm, symlink, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsOps } from '../kernel/fs-ops.js';
import { SnapshotRecords, checkParents, unknownSnapshot } from './snapshot-records.js';
import type { Mount, SnapshotInfo, Snapshotter } from './snapshotter.js';

export interface CopySnapshotterOptions {
  /** Read `trusted.overlay.opaque` to honour opaque directories; without it they merge like others. */
  fsOps?: FsOps;
  /** Copy owners (needs root). Default false. */
  ownership?: boolean;
}

/**
 * Snapshots as full copies: each snapshot's `rootfs` is its layers copied bottom first, whiteouts
 * (0/0 character devices) deleting what is below, returned as a bind mount. Slow and big, but it
 * needs no overlayfs and no root: the fallback and the simple implementation tests run against.
 * Regular files, directories and symlinks are copied; other special files are skipped.
 */
export class CopySnapshotter implements Snapshotter {
  private readonly records: SnapshotRecords;

  constructor(readonly root: string, private readonly options: CopySnapshotterOptions = {}) {
    this.records = new SnapshotRecords(root);
  }

  async prepare(key: string, parents: readonly string[]): Promise<Mount[]> {
    await checkParents(parents);
    await this.records.create(key, parents, async (staging) => {
      const rootfs = join(staging, 'rootfs');
      await mkdir(rootfs, { mode: 0o755 });
      for (const parent of parents) await this.apply(parent, rootfs);
    });
    return this.mounts(key);
  }

  async mounts(key: string): Promise<Mount[]> {
    if ((await this.records.read(key)) === undefined) throw unknownSnapshot(key);
    return [{ type: 'bind', source: join(this.records.path(key), 'rootfs'), options: ['rbind', 'rw'] }];
  }

  async remove(key: string): Promise<void> {
    await this.records.remove(key);
  }

  async list(): Promise<SnapshotInfo[]> {
    return this.records.list();
  }

  /** Lay one layer directory over `dest`. */
  private async apply(layer: string, dest: string): Promise<void> {
    for (const name of await readdir(layer)) {
      const from = join(layer, name);
      const to = join(dest, name);
      const st = await lstat(from);
      const existing = await lstat(to).catch(() => undefined);
      if (st.isCharacterDevice() && st.rdev === 0) {
        await rm(to, { recursive: true, force: true });
        continue;
      }
      if (st.isDirectory()) {
        const opaque = this.options.fsOps?.lgetxattr(from, 'trusted.overlay.opaque')?.toString() === 'y';
        if (existing !== undefined && (!existing.isDirectory() || opaque)) await rm(to, { recursive: true, force: true });
        await mkdir(to, { recursive: true });
        await this.apply(from, to);
      } else if (st.isFile() || st.isSymbolicLink()) {
        if (existing !== undefined) await rm(to, { recursive: true, force: true });
        if (st.isFile()) await copyFile(from, to);
        else await symlink(await readlink(from), to);
      } else {
        continue;
      }
      if (this.options.ownership === true) await lchown(to, st.uid, st.gid);
      if (!st.isSymbolicLink()) await chmod(to, st.mode & 0o7777);
      await lutimes(to, st.atime, st.mtime);
    }
  }
}
