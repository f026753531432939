import { isDict, type Dict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

/** `build`: a context path alone becomes `{context}`. */
export function canonicalBuild(value: unknown): unknown {
  return typeof value === 'string' ? { context: value } : value;
}

/** `build.ssh`: `default` or `ID=PATH` entries become a mapping of id to path (null for `default`). */
export function canonicalBuildSsh(value: unknown, site: Site): unknown {
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries)) return value;
  const out: Dict = {};
  entries.forEach((entry, index) => {
    const text = String(entry);
    const eq = text.indexOf('=');
    if (eq >= 0) out[text.slice(0, eq)] = text.slice(eq + 1);
    else if (text === 'default') out.default = null;
    else throw invalidValue([...site.path, index], `invalid ssh key ${quote(entry)}`, 'use "default" or "ID=/path/to/key"');
  });
  return out;
}

/** `extends: base` is `extends: {service: base}`. */
export function canonicalExtends(value: unknown): unknown {
  return typeof value === 'string' ? { service: value } : value;
}

/** `gpus: all` is one device request for every GPU. */
export function canonicalGpus(value: unknown): unknown {
  return typeof value === 'string' ? [{ count: 'all' }] : value;
}

/** `develop.watch`: an entry with a list of paths becomes one entry per path. */
export function canonicalWatch(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  return value.flatMap((entry): unknown[] => {
    if (!isDict(entry) || !Array.isArray(entry.path)) return [entry];
    return entry.path.map((path) => ({ ...entry, path }));
  });
}
