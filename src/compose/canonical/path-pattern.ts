import type { ComposePath } from '../types.js';

/**
 * A path pattern such as `services.*.ports` or `services.*.volumes.*.tmpfs.size`: segments separated
 * by dots, `*` standing for any one key or sequence index. Registries of per-attribute behaviour are
 * keyed by these patterns.
 */
export type PathPattern = string;

interface TrieNode<T> {
  children: Map<string, TrieNode<T>>;
  star?: TrieNode<T>;
  /** The value of the pattern that ends here, with its place in the registry (the first wins). */
  entry?: { order: number; value: T };
}

/**
 * A registry compiled into a trie of segments, so looking a path up costs its depth, not the
 * number of patterns, and a walk can tell when no pattern reaches below a path at all.
 */
class PatternIndex<T> {
  private readonly root: TrieNode<T> = { children: new Map() };

  constructor(registry: ReadonlyMap<PathPattern, T>) {
    let order = 0;
    for (const [pattern, value] of registry) {
      let node = this.root;
      for (const segment of pattern.split('.')) {
        if (segment === '*') node = node.star ??= { children: new Map() };
        else {
          let next = node.children.get(segment);
          if (next === undefined) node.children.set(segment, (next = { children: new Map() }));
          node = next;
        }
      }
      node.entry ??= { order: order, value };
      order++;
    }
  }

  /** The trie nodes that `path` leads to (several when literal and `*` branches both match). */
  reach(path: ComposePath): TrieNode<T>[] {
    let nodes: TrieNode<T>[] = [this.root];
    for (const raw of path) {
      const segment = String(raw);
      const next: TrieNode<T>[] = [];
      for (const node of nodes) {
        const child = node.children.get(segment);
        if (child !== undefined) next.push(child);
        if (node.star !== undefined) next.push(node.star);
      }
      if (next.length === 0) return next;
      nodes = next;
    }
    return nodes;
  }

  lookup(path: ComposePath): T | undefined {
    let best: { order: number; value: T } | undefined;
    for (const node of this.reach(path)) {
      if (node.entry !== undefined && (best === undefined || node.entry.order < best.order)) best = node.entry;
    }
    return best?.value;
  }

  reachesBelow(path: ComposePath): boolean {
    return this.reach(path).some((node) => node.children.size > 0 || node.star !== undefined);
  }
}

const indexes = new WeakMap<ReadonlyMap<PathPattern, unknown>, PatternIndex<unknown>>();

function indexOf<T>(registry: ReadonlyMap<PathPattern, T>): PatternIndex<T> {
  let index = indexes.get(registry) as PatternIndex<T> | undefined;
  if (index === undefined) {
    index = new PatternIndex(registry);
    indexes.set(registry, index as PatternIndex<unknown>);
  }
  return index;
}

/** Whether `path` is matched by `pattern` (same length, every literal segment equal). */
export function matchesPattern(path: ComposePath, pattern: PathPattern): boolean {
  const segments = pattern.split('.');
  if (segments.length !== path.length) return false;
  return segments.every((segment, i) => segment === '*' || segment === String(path[i]));
}

/** The value registered under the first pattern that matches `path`. */
export function lookupPattern<T>(registry: ReadonlyMap<PathPattern, T>, path: ComposePath): T | undefined {
  return indexOf(registry).lookup(path);
}

/** Whether some pattern of the registry matches a path strictly below `path`. */
export function reachesBelow<T>(registry: ReadonlyMap<PathPattern, T>, path: ComposePath): boolean {
  return indexOf(registry).reachesBelow(path);
}
