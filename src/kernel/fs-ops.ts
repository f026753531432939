/** The kind of special file {@link FsOps.mknod} creates. */
export type SpecialFileKind = 'char' | 'block' | 'fifo';

/**
 * The filesystem calls Node lacks, used to unpack image layers. Every call is synchronous (the
 * unpacker makes many of them in a tight loop), never follows a symlink in the last component, and
 * throws an Error whose `code` is the errno name (`EPERM`, `ENOTSUP`, ...) when the call fails.
 */
export interface FsOps {
  /** Create a device node or fifo with these permission bits (applied exactly, not through umask). */
  mknod(path: string, kind: SpecialFileKind, mode: number, major: number, minor: number): void;
  /** Set an extended attribute (`trusted.overlay.opaque`, `security.capability`, `user.*`, ...). */
  lsetxattr(path: string, name: string, value: Uint8Array): void;
  /** An extended attribute's value, or undefined when it is not set. */
  lgetxattr(path: string, name: string): Buffer | undefined;
  /** The names of all extended attributes. */
  llistxattr(path: string): string[];
  /** Change the owner of the entry itself, including a symlink, for any 32-bit ids. */
  lchown(path: string, uid: number, gid: number): void;
  /** Set access and modification times (seconds, fractions allowed) of the entry itself. */
  lutimes(path: string, atime: number, mtime: number): void;
  /** Flush the whole filesystem that holds `path` to disk. */
  syncfs(path: string): void;
}
