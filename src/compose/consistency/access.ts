import { isDict, type Dict } from '../types.js';

/** The value at `keys` under `value`, or undefined where a level is missing or not a mapping. */
export function dig(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isDict(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** A list, or the empty list for anything else. */
export function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A mapping, or the empty mapping for anything else. */
export function dictOf(value: unknown): Dict {
  return isDict(value) ? value : {};
}

/** True for undefined, null, '' and empty lists and mappings: an attribute that says nothing. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return isDict(value) && Object.keys(value).length === 0;
}

/** A number written as a number or a numeric string, else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}
