import { isDict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

const HINT = 'give one number for both limits, e.g. nproc: 65535, or {soft: 20000, hard: 40000}';

/**
 * One entry of `ulimits`: a single number (both limits, kept as one number, which is how Compose
 * prints it) or `{soft, hard}` as numbers.
 */
export function canonicalUlimit(value: unknown, site: Site): unknown {
  if (isDict(value)) {
    const out = { ...value };
    for (const key of ['soft', 'hard'] as const) {
      if (out[key] !== undefined) out[key] = limit(out[key], site, key);
    }
    return out;
  }
  return limit(value, site);
}

function limit(value: unknown, site: Site, key?: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
  const path = key === undefined ? site.path : [...site.path, key];
  throw invalidValue(path, `invalid ulimit ${quote(value)}`, HINT);
}
