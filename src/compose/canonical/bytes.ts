import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

const MULTIPLIERS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** Bytes in a size such as `512m`, `1.5g`, `64KiB` or `1024` (binary multiples), or undefined. */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp]?)i?b?$/i.exec(text.trim());
  if (match === null) return undefined;
  return Math.trunc(Number(match[1]) * (MULTIPLIERS[(match[2] ?? '').toLowerCase()] ?? 1));
}

/**
 * A byte-size attribute (`mem_limit`, `shm_size`, `deploy.resources.limits.memory`, ...) as Compose
 * prints it: the number of bytes, as a decimal string.
 */
export function canonicalBytes(value: unknown, site: Site): unknown {
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^-\d+$/.test(value.trim())) return value.trim();
  const bytes = typeof value === 'string' ? parseBytes(value) : undefined;
  if (bytes === undefined) {
    if (value === null || value === undefined) return value;
    throw invalidValue(site.path, `invalid size ${quote(value)}`, 'write a size in bytes or with a unit, e.g. 512m, 1g or 1073741824');
  }
  return String(bytes);
}
