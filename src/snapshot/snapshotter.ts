/**
 * A filesystem mount described as data: the runtime (or a test) performs it. Shaped like the
 * mounts of the OCI runtime spec, plus `cwd` for mounts whose options hold relative paths.
 */
export interface Mount {
  type: string;
  source: string;
  /** Where to mount; absent when the mount is the container's root filesystem. */
  target?: string;
  options: string[];
  /**
   * When set, paths in `options` are relative to this directory: the mounter must make it its
   * working directory for the mount call (or pass it as the dirfd of fsconfig). Used when absolute
   * paths would not fit the kernel's one-page limit for mount options.
   */
  cwd?: string;
}

export interface SnapshotInfo {
  key: string;
  /** The read-only layer directories under the snapshot, bottom first. */
  parents: string[];
}

/**
 * Writable snapshots over read-only layer directories. A snapshotter *returns* mounts and never
 * mounts anything itself; the caller mounts them and must unmount before {@link Snapshotter.remove}.
 */
export interface Snapshotter {
  /**
   * Create the snapshot `key` over `parents` (layer directories, bottom first) and return its
   * mounts. Preparing an existing key with the same parents returns the same mounts; with other
   * parents it fails with CONTAINER_BAD_STATE.
   */
  prepare(key: string, parents: readonly string[]): Promise<Mount[]>;
  /** The mounts of an existing snapshot (STATE_CORRUPT when there is none). */
  mounts(key: string): Promise<Mount[]>;
  /** Delete the snapshot's own directories (never its parents); nothing happens for an unknown key. */
  remove(key: string): Promise<void>;
  list(): Promise<SnapshotInfo[]>;
}
