import { constants, type Stats } from 'node:fs';
import { chmod, chown, copyFile, lchown, lstat, mkdir, open, readdir, readlink, rm, stat, symlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { isActive } from '../runtime/container-state.js';
import { ContainerFs } from './container-fs.js';

export interface CopyOptions {
  /** `-a`: keep owners (uid/gid); without it, what is copied belongs to root. */
  archive?: boolean;
  /** `-L`: follow a symlink named as the source instead of copying the link. */
  followLink?: boolean;
  /** Told about entries that cannot be copied (devices, sockets, fifos). */
  warn?: (message: string) => void;
}

/**
 * The filesystem `cp` works on: a running (or paused) container through its own mount namespace's
 * root, `/proc/<pid>/root`, so volumes and binds are there too; a stopped one through its overlay's
 * layers, upper dir first (its volumes are not part of that view).
 */
export function containerFs(container: ContainerInfo, procRoot = '/proc'): ContainerFs {
  const subject = `container ${container.name}`;
  if (isActive(container.status) && container.pid !== undefined) return new ContainerFs([join(procRoot, String(container.pid), 'root')], subject);
  const rootfs = container.spec.rootfs;
  return new ContainerFs(rootfs.overlay === undefined ? [rootfs.path] : [rootfs.overlay.upperdir, ...rootfs.overlay.lowerdirs], subject);
}

async function hostStat(path: string): Promise<Stats | undefined> {
  return stat(path).catch(() => undefined);
}

/** `cp SERVICE:SRC DEST`, with Docker's rules for where a file or a directory lands. */
export async function copyFromContainer(fs: ContainerFs, source: string, dest: string, options: CopyOptions = {}): Promise<void> {
  const parts = await fs.resolve(source, options.followLink === true);
  const entry = await fs.entry(parts);
  if (entry === undefined) throw new TscError('USAGE', `could not find the file ${source} in the container`, { hint: 'check the path; `tscompose exec` can list it' });
  const isDir = entry.stats.isDirectory();
  if (!isDir && source.endsWith('/')) throw new TscError('USAGE', `${source}: not a directory`, { hint: 'drop the trailing slash to copy a file' });
  const target = await landing(dest, isDir, source, await hostStat(dest));
  await copyOut(fs, parts, target, options);
}

/** `cp SRC SERVICE:DEST`. */
export async function copyIntoContainer(fs: ContainerFs, source: string, dest: string, options: CopyOptions = {}): Promise<void> {
  const stats = await (options.followLink === true ? stat(source) : lstat(source)).catch(() => undefined);
  if (stats === undefined) throw new TscError('USAGE', `could not find the file ${source}`, { hint: 'check the local path' });
  const destParts = await fs.resolve(dest, true);
  const existing = await fs.entry(destParts);
  const isDir = stats.isDirectory();
  let target = destParts;
  if (existing?.stats.isDirectory() === true) {
    if (!(isDir && source.endsWith('/.'))) target = [...destParts, basename(source)];
  } else if (existing !== undefined && isDir) {
    throw new TscError('USAGE', `cannot copy the directory ${source} onto the file ${dest}`, { hint: 'name a directory, or a path that does not exist yet' });
  } else if (existing === undefined && dest.endsWith('/') && !isDir) {
    throw new TscError('USAGE', `the directory ${dest} does not exist in the container`, { hint: 'create it first, or drop the trailing slash' });
  }
  if (target.length === 0) throw new TscError('USAGE', 'cannot replace the root of the container', { hint: 'copy into a directory of it' });
  await copyIn(source, fs, target, options);
}

/** Where a copy to a host path lands: inside it when it is a directory (unless `SRC/.`), else at it. */
async function landing(dest: string, isDir: boolean, source: string, existing: Stats | undefined): Promise<string> {
  if (existing?.isDirectory() === true) return isDir && source.endsWith('/.') ? dest : join(dest, basename(source.replace(/\/+\.?$/, '')) || 'root');
  if (existing !== undefined && isDir) throw new TscError('USAGE', `cannot copy a directory onto the file ${dest}`, { hint: 'name a directory, or a path that does not exist yet' });
  if (existing === undefined && dest.endsWith('/') && !isDir) throw new TscError('USAGE', `the directory ${dest} does not exist`, { hint: 'create it first, or drop the trailing slash' });
  if ((await hostStat(dirname(dest)))?.isDirectory() !== true) throw new TscError('USAGE', `the directory ${dirname(dest)} does not exist`, { hint: 'create it first' });
  return dest;
}

async function copyOut(fs: ContainerFs, parts: string[], target: string, options: CopyOptions): Promise<void> {
  const entry = await fs.entry(parts);
  if (entry === undefined) return;
  const s = entry.stats;
  if (s.isDirectory()) {
    if ((await hostStat(target))?.isDirectory() !== true) await mkdir(target, { mode: s.mode & 0o7777 });
    for (const name of await fs.list(parts)) await copyOut(fs, [...parts, name], join(target, name), options);
  } else if (s.isSymbolicLink()) {
    await rm(target, { force: true });
    await symlink(await readlink(entry.host), target);
  } else if (s.isFile()) {
    await copyFile(entry.host, target);
  } else {
    options.warn?.(`skipped /${parts.join('/')}: not a file, directory or symlink`);
    return;
  }
  await finish(target, s, options);
}

async function copyIn(source: string, fs: ContainerFs, parts: string[], options: CopyOptions): Promise<void> {
  const s = await lstat(source);
  const target = await fs.writable(parts);
  const there = await lstat(target).catch(() => undefined);
  if (s.isDirectory()) {
    if (there !== undefined && !there.isDirectory()) await rm(target, { force: true });
    if (there?.isDirectory() !== true) await mkdir(target, { mode: s.mode & 0o7777 });
    for (const name of (await readdir(source)).sort()) await copyIn(join(source, name), fs, [...parts, name], options);
  } else if (s.isSymbolicLink()) {
    if (there !== undefined) await rm(target, { recursive: there.isDirectory(), force: true });
    await symlink(await readlink(source), target);
  } else if (s.isFile()) {
    if (there !== undefined && !there.isFile()) await rm(target, { recursive: there.isDirectory(), force: true });
    await writeNoFollow(source, target);
  } else {
    options.warn?.(`skipped ${source}: not a file, directory or symlink`);
    return;
  }
  await finish(target, s, options);
}

/** Copies a file's bytes to `target` without ever following a symlink put there meanwhile. */
async function writeNoFollow(source: string, target: string): Promise<void> {
  const input = await open(source, constants.O_RDONLY);
  try {
    const output = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    try {
      const buffer = Buffer.alloc(1 << 16);
      for (;;) {
        const { bytesRead } = await input.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        await output.write(buffer, 0, bytesRead);
      }
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/** Owner (with `-a`; else root) and mode, as the source had them; symlinks keep their own. */
async function finish(target: string, s: Stats, options: CopyOptions): Promise<void> {
  const uid = options.archive === true ? s.uid : 0;
  const gid = options.archive === true ? s.gid : 0;
  if (s.isSymbolicLink()) {
    await lchown(target, uid, gid);
    return;
  }
  await chown(target, uid, gid);
  await chmod(target, s.mode & 0o7777);
}
