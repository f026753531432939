import type { ComposePath } from '../types.js';

/** Merges one override value into the base value at `path`; `merge` recurses with the default rules. */
export type MergeRule = (base: unknown, override: unknown, path: ComposePath, merge: MergeFn) => unknown;

export type MergeFn = (base: unknown, override: unknown, path: ComposePath) => unknown;
