import { TscError } from '../../errors/index.js';

/** LAYER_UNSAFE for a tar entry that would reach outside the layer directory. */
export function unsafeEntry(path: string, why: string): TscError {
  return new TscError('LAYER_UNSAFE', `layer entry \`${path}\` ${why}`, {
    hint: 'the image contains a layer that tries to write outside its own directory; do not use this image',
  });
}

/**
 * The components of a tar entry path, relative to the layer root. `./`, empty and `.` components
 * are dropped; `..` components and absolute paths are refused.
 */
export function entryComponents(path: string): string[] {
  if (path.startsWith('/')) throw unsafeEntry(path, 'is an absolute path');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') throw unsafeEntry(path, 'has a `..` component');
    parts.push(part);
  }
  return parts;
}
