import { isDict } from '../types.js';
import type { MergeRule } from './rule.js';

/**
 * `logging`: options are merged only when both sides use the same driver (or one names none);
 * a different driver replaces the whole section.
 */
export const mergeLogging: MergeRule = (base, override, path, merge) => {
  if (!isDict(base) || !isDict(override)) return override ?? base;
  const sameDriver = base.driver === undefined || override.driver === undefined || base.driver === override.driver;
  if (!sameDriver) return override;
  const out = { ...base };
  for (const [key, value] of Object.entries(override)) {
    out[key] = Object.hasOwn(base, key) ? merge(base[key], value, [...path, key]) : value;
  }
  return out;
};
