import type { SourceLocation } from '../errors/index.js';
import type { ComposePath, PositionIndex } from './types.js';

/** A PositionIndex filled while a file is read: one location per compose path. */
export class PathPositionIndex implements PositionIndex {
  private readonly entries = new Map<string, SourceLocation>();

  set(path: ComposePath, location: SourceLocation): void {
    this.entries.set(keyOf(path), location);
  }

  /** The location recorded for exactly this path. */
  get(path: ComposePath): SourceLocation | undefined {
    return this.entries.get(keyOf(path));
  }

  locate(path: ComposePath): SourceLocation | undefined {
    for (let length = path.length; length >= 0; length--) {
      const hit = this.entries.get(keyOf(path.slice(0, length)));
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  get size(): number {
    return this.entries.size;
  }
}

// JSON keeps `['a.b']` apart from `['a', 'b']` and `[0]` apart from `['0']`.
function keyOf(path: ComposePath): string {
  return JSON.stringify(path);
}
