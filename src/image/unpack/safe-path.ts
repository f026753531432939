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

/**
 * The path of a tar entry relative to the layer root, as {@link entryComponents} joined with `/`
 * ('' for the root itself), with the same refusals.
 */
export function entryRelPath(path: string): string {
  // The common case: no component is empty or starts with a dot, so none is `.` or `..`.
  if (path.charCodeAt(0) !== 0x2e && path.charCodeAt(0) !== 0x2f && !path.includes('/.') && !path.includes('//')) {
    return path.endsWith('/') ? path.slice(0, -1) : path;
  }
  return entryComponents(path).join('/');
}
