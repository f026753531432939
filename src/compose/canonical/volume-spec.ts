import { posix } from 'node:path';
import type { Dict } from '../types.js';

export type VolumeParse = { volume: Dict } | { error: string };

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);
const SELINUX = new Set(['z', 'Z']);

/**
 * Parses the short volume syntax `[SOURCE:]TARGET[:OPTIONS]` as Compose does. A source starting with
 * `.`, `/` or `~` is a bind mount (created on the host when missing); any other source names a
 * volume; no source is an anonymous volume. Options: `ro`, `rw`, `nocopy`, `z`/`Z` and the mount
 * propagations; others are ignored. Windows drive letters are not special: containers here are Linux
 * containers, so `c:/data` names the volume `c`.
 */
export function parseVolumeSpec(spec: string): VolumeParse {
  if (spec === '') return { error: 'empty volume spec' };
  if (spec.length <= 2) return { volume: { type: 'volume', target: spec } };
  const fields: { source?: string; target?: string; options?: string } = {};
  let buffer = '';
  let depth = 0;
  for (let i = 0; i <= spec.length; i++) {
    const char = i < spec.length ? spec.charAt(i) : undefined;
    if (char === '$' && spec.charAt(i + 1) === '{') depth++;
    else if (char === '}' && depth > 0) depth--;
    else if ((char === ':' || char === undefined) && depth === 0) {
      const error = place(fields, buffer, char === undefined);
      if (error !== undefined) return { error };
      buffer = '';
      continue;
    }
    buffer += char ?? '';
  }
  return { volume: build(fields) };
}

function place(fields: { source?: string; target?: string; options?: string }, buffer: string, atEnd: boolean): string | undefined {
  if (buffer === '') return 'empty section between colons';
  if (fields.source === undefined && atEnd) fields.target = buffer;
  else if (fields.source === undefined) fields.source = buffer;
  else if (fields.target === undefined) fields.target = buffer;
  else if (!atEnd) return 'too many colons';
  else fields.options = buffer;
  return undefined;
}

function build(fields: { source?: string; target?: string; options?: string }): Dict {
  const source = fields.source ?? '';
  const bind: Dict = {};
  let readOnly = false;
  let nocopy = false;
  for (const option of (fields.options ?? '').split(',')) {
    if (option === 'ro') readOnly = true;
    else if (option === 'rw') readOnly = false;
    else if (option === 'nocopy') nocopy = true;
    else if (SELINUX.has(option)) bind.selinux = option;
    else if (PROPAGATIONS.has(option)) bind.propagation = option;
  }
  const isBind = isFilePath(source);
  const volume: Dict = { type: isBind ? 'bind' : 'volume' };
  if (source !== '') volume.source = source;
  volume.target = cleanTarget(fields.target ?? '');
  if (readOnly) volume.read_only = true;
  if (isBind || Object.keys(bind).length > 0) volume.bind = { ...bind, create_host_path: true };
  if (!isBind || nocopy) volume.volume = nocopy ? { nocopy: true } : {};
  return volume;
}

/** A source that names a path on the host rather than a volume. */
export function isFilePath(source: string): boolean {
  if (source === '') return false;
  return source.startsWith('.') || source.startsWith('/') || source.startsWith('~');
}

function cleanTarget(target: string): string {
  if (target === '') return '';
  const normal = posix.normalize(target);
  return normal.length > 1 && normal.endsWith('/') ? normal.slice(0, -1) : normal;
}
