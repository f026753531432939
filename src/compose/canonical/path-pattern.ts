import type { ComposePath } from '../types.js';

/**
 * A path pattern such as `services.*.ports` or `services.*.volumes.*.tmpfs.size`: segments separated
 * by dots, `*` standing for any one key or sequence index. Registries of per-attribute behaviour are
 * keyed by these patterns.
 */
export type PathPattern = string;

const cache = new Map<PathPattern, string[]>();

function segmentsOf(pattern: PathPattern): string[] {
  let segments = cache.get(pattern);
  if (segments === undefined) {
    segments = pattern.split('.');
    cache.set(pattern, segments);
  }
  return segments;
}

/** Whether `path` is matched by `pattern` (same length, every literal segment equal). */
export function matchesPattern(path: ComposePath, pattern: PathPattern): boolean {
  const segments = segmentsOf(pattern);
  if (segments.length !== path.length) return false;
  return segments.every((segment, i) => segment === '*' || segment === String(path[i]));
}

/** The value registered under the first pattern that matches `path`. */
export function lookupPattern<T>(registry: ReadonlyMap<PathPattern, T>, path: ComposePath): T | undefined {
  for (const [pattern, value] of registry) {
    if (matchesPattern(path, pattern)) return value;
  }
  return undefined;
}
