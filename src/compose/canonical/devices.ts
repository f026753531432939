import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

/** One `devices` entry: `SOURCE[:TARGET[:PERMISSIONS]]` becomes `{source, target, permissions}` (`rwm` by default). */
export function canonicalDevice(value: unknown, site: Site): unknown {
  if (typeof value !== 'string') return value;
  const parts = value.split(':');
  if (parts.length > 3) {
    throw invalidValue(site.path, `confusing device mapping ${quote(value)}`, 'use the long syntax {source: /dev/x, target: /dev/y, permissions: rwm}');
  }
  const [source = '', target, permissions] = parts;
  return { source, target: target === undefined || target === '' ? source : target, permissions: permissions ?? 'rwm' };
}
