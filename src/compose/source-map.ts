import type { SourceLocation } from '../errors/index.js';
import type { ComposePath, PositionIndex } from './types.js';

/**
 * Locations across every file that went into a project. A path is looked up in the files
 * merged last first, since the last definition is the one that is in effect.
 */
export class SourceMap implements PositionIndex {
  private readonly indexes: PositionIndex[] = [];

  add(index: PositionIndex): void {
    this.indexes.push(index);
  }

  locate(path: ComposePath): SourceLocation | undefined {
    // An exact hit in a later file beats an ancestor's position in any file.
    let fallback: SourceLocation | undefined;
    for (let i = this.indexes.length - 1; i >= 0; i--) {
      const location = this.indexes[i]?.locate(path);
      if (location === undefined) continue;
      if (fallback === undefined) fallback = location;
      const parent = path.length === 0 ? undefined : this.indexes[i]?.locate(path.slice(0, -1));
      if (parent === undefined || !sameLocation(parent, location)) return location;
    }
    return fallback;
  }
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.file === b.file && a.line === b.line && a.column === b.column;
}
