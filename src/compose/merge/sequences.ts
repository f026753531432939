import { isDict, type ComposePath, type Dict } from '../types.js';
import { deepEqual } from './equal.js';
import type { MergeFn, MergeRule } from './rule.js';

/** The default for sequences: the override's entries are appended, except those already present. */
export function appendUnique(base: unknown[], override: unknown[]): unknown[] {
  const out = [...base];
  for (const entry of override) {
    if (!out.some((existing) => deepEqual(existing, entry))) out.push(entry);
  }
  return out;
}

export type KeyOf = (entry: unknown) => string;

/**
 * Sequences whose entries are unique by a key (`volumes` by target, `ports` by address): an entry
 * whose key is already present takes the place of the earlier one (or is merged into it with
 * `combine: 'merge'`); other entries are appended. Duplicate keys within one side collapse the same way.
 */
export function byKey(keyOf: KeyOf, combine: 'replace' | 'merge' = 'replace'): MergeRule {
  return (base, override, path, merge) => {
    if (!Array.isArray(base) || !Array.isArray(override)) return override;
    const out: unknown[] = [];
    const positions = new Map<string, number>();
    const add = (entry: unknown, from: 'base' | 'override'): void => {
      const key = keyOf(entry);
      const at = positions.get(key);
      if (at === undefined) {
        positions.set(key, out.length);
        out.push(entry);
      } else {
        out[at] = combine === 'merge' && from === 'override' ? mergeAt(merge, out[at], entry, path, at) : entry;
      }
    };
    base.forEach((entry) => add(entry, 'base'));
    override.forEach((entry) => add(entry, 'override'));
    return out;
  };
}

function mergeAt(merge: MergeFn, base: unknown, override: unknown, path: ComposePath, index: number): unknown {
  return merge(base, override, [...path, index]);
}

/** The value of `field` of a mapping entry as a key part, or the whole entry when it is not a mapping. */
export function field(entry: unknown, name: string, fallback = ''): string {
  if (!isDict(entry)) return JSON.stringify(entry) ?? '';
  const value = (entry as Dict)[name];
  return value === undefined || value === null ? fallback : String(value);
}
