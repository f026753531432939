import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';

/** lstat, with a path that does not exist (or runs through a non-directory) as undefined. */
export async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** An overlayfs whiteout: a character device 0/0 that hides the entry of the layers below. */
export const isWhiteout = (s: Stats): boolean => s.isCharacterDevice() && s.rdev === 0;
