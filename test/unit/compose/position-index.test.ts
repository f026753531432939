import { describe, expect, it } from 'vitest';
import { PathPositionIndex } from '../../../src/compose/position-index.js';

describe('PathPositionIndex', () => {
  const index = new PathPositionIndex();
  index.set([], { file: 'f', line: 1, column: 1 });
  index.set(['services'], { file: 'f', line: 2, column: 1 });
  index.set(['services', 'web'], { file: 'f', line: 3, column: 3 });
  index.set(['services', 'web', 'ports', 0], { file: 'f', line: 5, column: 7 });
  index.set(['labels', 'a.b'], { file: 'f', line: 9, column: 3 });

  it('finds an exact path', () => {
    expect(index.locate(['services', 'web'])).toEqual({ file: 'f', line: 3, column: 3 });
    expect(index.get(['services', 'web', 'ports', 0])).toEqual({ file: 'f', line: 5, column: 7 });
  });

  it('falls back to the nearest ancestor that has a location', () => {
    expect(index.locate(['services', 'web', 'ports'])).toEqual({ file: 'f', line: 3, column: 3 });
    expect(index.locate(['services', 'web', 'ports', 0, 'target'])).toEqual({ file: 'f', line: 5, column: 7 });
    expect(index.locate(['volumes', 'data'])).toEqual({ file: 'f', line: 1, column: 1 });
  });

  it('keeps a dotted key apart from nested keys and an index apart from a string key', () => {
    expect(index.get(['labels', 'a', 'b'])).toBeUndefined();
    expect(index.get(['labels', 'a.b'])).toEqual({ file: 'f', line: 9, column: 3 });
    expect(index.get(['services', 'web', 'ports', '0'])).toBeUndefined();
  });

  it('gives undefined when nothing on the way up is known', () => {
    const empty = new PathPositionIndex();
    expect(empty.locate(['a'])).toBeUndefined();
    expect(empty.size).toBe(0);
    expect(index.size).toBe(5);
  });

  it('replaces a location set twice', () => {
    const i = new PathPositionIndex();
    i.set(['a'], { file: 'f', line: 1 });
    i.set(['a'], { file: 'g', line: 2 });
    expect(i.locate(['a'])).toEqual({ file: 'g', line: 2 });
  });
});
