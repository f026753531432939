import {
  chmodSync, closeSync, constants, fchmodSync, fchownSync, futimesSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync,
  rmSync, symlinkSync, unlinkSync, writeSync,
} from 'node:fs';
import { TscError } from '../../errors/index.js';
import type { FsOps, SpecialFileKind } from '../../kernel/fs-ops.js';
import type { TarEntry, TarSink } from '../tar/tar-entry.js';
import { entryRelPath, unsafeEntry } from './safe-path.js';

export interface LayerWriterOptions {
  fsOps: FsOps;
  /** Give entries the uid/gid the layer records (needs root). Default true. */
  ownership?: boolean;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';
const AUFS_META = '.wh..wh.';
const OPEN_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function invalid(path: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `layer entry \`${path}\` ${why}`, {
    hint: 'the layer is malformed; rebuild or re-export the image',
  });
}

/** This process's umask, read without changing it (`process.umask()` without arguments is deprecated). */
function currentUmask(): number {
  try {
    const match = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match?.[1] === undefined ? 0o777 : parseInt(match[1], 8);
  } catch {
    return 0o777;
  }
}

function errnoOf(err: unknown): string {
  return String((err as NodeJS.ErrnoException).code ?? '');
}

/** A failed system call on an entry, as a TscError naming the entry. */
function failed(path: string, err: unknown): TscError {
  if (err instanceof TscError) return err;
  const code = errnoOf(err) === 'EPERM' || errnoOf(err) === 'EACCES' ? 'KERNEL_EPERM' : 'KERNEL';
  return new TscError(code, `layer entry \`${path}\`: ${(err as Error).message}`, {
    hint: code === 'KERNEL_EPERM' ? 'unpacking layers needs root (ownership, device nodes, trusted xattrs)' : 'check the disk holding the data root (space, inodes, permissions)',
    cause: err,
  });
}

/**
 * Writes one layer's tar entries into a directory, as overlayfs expects a lower layer: whiteouts
 * become 0/0 character devices, opaque markers the `trusted.overlay.opaque` xattr. Nothing is ever
 * written outside the directory: paths with `..` or absolute paths, entries under a symlinked parent
 * and hardlinks to anything outside are refused with LAYER_UNSAFE, and no call follows a symlink.
 * Every call is synchronous; directory metadata is applied by {@link LayerWriter.finish}.
 */
export class LayerWriter implements TarSink {
  /** Relative paths checked (or made) to be real directories; '' is the root. */
  private readonly dirs = new Set<string>(['']);
  private readonly dirMeta = new Map<string, TarEntry>();
  private current: { fd: number; full: string; entry: TarEntry } | undefined;
  private readonly ownership: boolean;
  /** Owner and umask a new file gets, to skip fchown and fchmod when they would change nothing. */
  private readonly uid = process.geteuid?.() ?? -1;
  private readonly gid = process.getegid?.() ?? -1;
  private readonly umask = currentUmask();
  entries = 0;
  bytes = 0;

  constructor(private readonly root: string, private readonly options: LayerWriterOptions) {
    this.ownership = options.ownership ?? true;
  }

  entry(entry: TarEntry): void {
    this.entries++;
    try {
      this.create(entry);
    } catch (err) {
      throw failed(entry.path, err);
    }
  }

  data(chunk: Buffer): void {
    const current = this.current;
    if (current === undefined) return;
    try {
      for (let done = 0; done < chunk.length;) done += writeSync(current.fd, chunk, done, chunk.length - done);
    } catch (err) {
      throw failed(current.entry.path, err);
    }
    this.bytes += chunk.length;
  }

  entryEnd(): void {
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    try {
      // Directories get their modes only in finish(), so no parent is setgid yet: a new file has
      // this process's uid and gid, and the bits of open() minus the umask.
      const { uid, gid, mode } = current.entry;
      const chown = this.ownership && (uid !== this.uid || gid !== this.gid);
      if (chown) fchownSync(current.fd, uid, gid);
      if (chown || (mode & 0o7000) !== 0 || (mode & this.umask) !== 0) fchmodSync(current.fd, mode);
      this.setXattrs(current.full, current.entry, false);
      futimesSync(current.fd, current.entry.mtime, current.entry.mtime);
    } catch (err) {
      throw failed(current.entry.path, err);
    } finally {
      closeSync(current.fd);
    }
  }

  /** Apply directory owners, modes, xattrs and times, now that nothing more is created inside them. */
  finish(): void {
    for (const [rel, entry] of this.dirMeta) {
      const full = this.fullPath(rel);
      try {
        this.chown(full, entry);
        chmodSync(full, entry.mode);
        this.setXattrs(full, entry, false);
        this.options.fsOps.lutimes(full, entry.mtime, entry.mtime);
      } catch (err) {
        throw failed(entry.path, err);
      }
    }
  }

  /** Close any file left open by a failed read. */
  abort(): void {
    if (this.current !== undefined) closeSync(this.current.fd);
    this.current = undefined;
  }

  private fullPath(rel: string): string {
    return rel === '' ? this.root : `${this.root}/${rel}`;
  }

  private create(entry: TarEntry): void {
    const rel = entryRelPath(entry.path);
    if (rel === '') {
      if (entry.type !== 'directory') throw unsafeEntry(entry.path, 'names the layer root but is not a directory');
      this.dirMeta.set('', entry);
      return;
    }
    const slash = rel.lastIndexOf('/');
    const parentRel = slash < 0 ? '' : rel.slice(0, slash);
    if (!this.dirs.has(parentRel)) this.ensureParents(entry.path, rel.split('/'), true);
    const base = rel.slice(slash + 1);
    if (base.startsWith(WHITEOUT)) return this.whiteout(entry, parentRel, base);
    const full = this.fullPath(rel);
    const fsOps = this.options.fsOps;
    switch (entry.type) {
      case 'directory':
        this.make(rel, full, true, () => mkdirSync(full, 0o755));
        this.dirs.add(rel);
        this.dirMeta.set(rel, entry);
        return;
      case 'file':
        this.current = { fd: this.openNew(rel, full, entry.mode & 0o777), full, entry };
        return;
      case 'symlink':
        this.make(rel, full, false, () => symlinkSync(entry.linkpath, full));
        this.chown(full, entry);
        this.setXattrs(full, entry, true);
        fsOps.lutimes(full, entry.mtime, entry.mtime);
        return;
      case 'hardlink':
        return this.hardlink(entry, rel, full);
      case 'char':
      case 'block':
      case 'fifo':
        this.make(rel, full, false, () => fsOps.mknod(full, entry.type as SpecialFileKind, entry.mode, entry.devmajor, entry.devminor));
        this.chown(full, entry);
        chmodSync(full, entry.mode);
        this.setXattrs(full, entry, false);
        fsOps.lutimes(full, entry.mtime, entry.mtime);
        return;
      default:
        throw invalid(entry.path, `has the unsupported tar type \`${entry.typeflag}\``);
    }
  }

  /**
   * Check that every parent of `parts` is a real directory inside the root, creating missing ones
   * when `create` is set. A symlink on the way is refused: it could point anywhere.
   */
  private ensureParents(path: string, parts: string[], create: boolean): void {
    // `dirs` holds the parents of every directory in it, so a known parent settles them all.
    if (parts.length < 2 || this.dirs.has(parts.slice(0, -1).join('/'))) return;
    let rel = '';
    for (let i = 0; i < parts.length - 1; i++) {
      rel = i === 0 ? (parts[0] as string) : `${rel}/${parts[i] as string}`;
      if (this.dirs.has(rel)) continue;
      const full = this.fullPath(rel);
      const stat = lstatSync(full, { throwIfNoEntry: false });
      if (stat === undefined) {
        if (!create) throw invalid(path, `refers to \`${rel}\`, which does not exist`);
        mkdirSync(full, 0o755);
      } else if (stat.isSymbolicLink()) {
        throw unsafeEntry(path, `goes through the symlink \`${rel}\``);
      } else if (!stat.isDirectory()) {
        throw invalid(path, `is under \`${rel}\`, which is not a directory`);
      }
      this.dirs.add(rel);
    }
  }

  /**
   * Create with `make`, which fails with EEXIST (never following a symlink) when something is in the
   * way: remove that (or keep it, if it is a directory and `keepDirectory` is set) and try again.
   */
  private make(rel: string, full: string, keepDirectory: boolean, make: () => void): void {
    try {
      make();
      return;
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
    if (!this.clear(rel, full, keepDirectory)) make();
  }

  /** {@link LayerWriter.make} for a regular file, without a closure per file: returns its descriptor. */
  private openNew(rel: string, full: string, mode: number): number {
    try {
      return openSync(full, OPEN_FLAGS, mode);
    } catch (err) {
      if (errnoOf(err) !== 'EEXIST') throw err;
    }
    this.clear(rel, full, false);
    return openSync(full, OPEN_FLAGS, mode);
  }

  /** Remove what is at `full` unless it is a directory to keep; true when a directory was kept. */
  private clear(rel: string, full: string, keepDirectory: boolean): boolean {
    const stat = lstatSync(full, { throwIfNoEntry: false });
    if (stat === undefined) return false;
    if (!stat.isDirectory()) {
      unlinkSync(full);
      return false;
    }
    if (keepDirectory) return true;
    rmSync(full, { recursive: true, force: true });
    for (const known of [...this.dirs]) if (known === rel || known.startsWith(`${rel}/`)) this.dirs.delete(known);
    for (const known of [...this.dirMeta.keys()]) if (known === rel || known.startsWith(`${rel}/`)) this.dirMeta.delete(known);
    return false;
  }

  private whiteout(entry: TarEntry, parentRel: string, base: string): void {
    if (base === OPAQUE) {
      this.options.fsOps.lsetxattr(this.fullPath(parentRel), 'trusted.overlay.opaque', Buffer.from('y'));
      return;
    }
    if (base.startsWith(AUFS_META)) return;
    const name = base.slice(WHITEOUT.length);
    if (name === '' || name === '.' || name === '..') throw unsafeEntry(entry.path, 'is a whiteout for an invalid name');
    const rel = parentRel === '' ? name : `${parentRel}/${name}`;
    const full = this.fullPath(rel);
    this.make(rel, full, false, () => this.options.fsOps.mknod(full, 'char', 0, 0, 0));
  }

  private hardlink(entry: TarEntry, rel: string, full: string): void {
    const link = entry.linkpath;
    if (link.startsWith('/')) throw unsafeEntry(entry.path, `is a hardlink to the absolute path \`${link}\``);
    const target = link.split('/').filter((p) => p !== '' && p !== '.');
    if (target.includes('..')) throw unsafeEntry(entry.path, `is a hardlink to \`${link}\`, outside the layer`);
    if (target.length === 0) throw unsafeEntry(entry.path, 'is a hardlink to the layer root');
    this.ensureParents(entry.path, target, false);
    const targetRel = target.join('/');
    if (targetRel === rel) return;
    const targetFull = this.fullPath(targetRel);
    const stat = lstatSync(targetFull, { throwIfNoEntry: false });
    if (stat === undefined) throw invalid(entry.path, `is a hardlink to \`${link}\`, which is not in the layer`);
    if (stat.isDirectory()) throw invalid(entry.path, `is a hardlink to the directory \`${link}\``);
    this.make(rel, full, false, () => linkSync(targetFull, full));
  }

  private chown(full: string, entry: TarEntry): void {
    if (this.ownership) this.options.fsOps.lchown(full, entry.uid, entry.gid);
  }

  private setXattrs(full: string, entry: TarEntry, symlink: boolean): void {
    for (const [name, value] of entry.xattrs) {
      // overlayfs metadata from a layer would steer the mount (redirects, origins): never copied.
      if (name.startsWith('trusted.overlay.')) continue;
      try {
        this.options.fsOps.lsetxattr(full, name, value);
      } catch (err) {
        const code = errnoOf(err);
        if ((code === 'ENOTSUP' || code === 'EOPNOTSUPP') && name !== 'security.capability') continue;
        if (code === 'EPERM' && symlink && name.startsWith('user.')) continue;
        throw err;
      }
    }
  }
}
