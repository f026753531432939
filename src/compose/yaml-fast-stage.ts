import type { SourceLocation } from '../errors/index.js';
import { PathPositionIndex } from './position-index.js';
import type { ComposePath, ParsedFile, PositionIndex } from './types.js';
import { readYamlTree } from './yaml-fast-reader.js';
import { MAX_NODES } from './yaml-limits.js';
import { convertTree } from './yaml-tree-convert.js';
import { OutsideFastPath } from './yaml-tree.js';
import type { TreeMap } from './yaml-tree.js';

/**
 * The YAML stage through the fast reader (yaml-fast-reader.ts): the same result as
 * `parseComposeYamlWithLibrary`, or `undefined` for a file it leaves to that function, which is
 * every file with an error. Positions are worked out on first use: they serve to report problems.
 */
export function readComposeYamlFast(text: string, file: string): ParsedFile | undefined {
  const tree = readYamlTree(text);
  if (tree === undefined) return undefined;
  try {
    const { data, resets, overrides } = convertTree(tree, MAX_NODES, false);
    // The tree is read again for positions rather than kept: most loads never need them.
    return { path: file, data, positions: new LazyPositionIndex(() => positionsOf(readYamlTree(text) as TreeMap, text, file)), resets, overrides };
  } catch (err) {
    if (err instanceof OutsideFastPath) return undefined;
    throw err;
  }
}

/** A PositionIndex built when it is first asked for a position. */
class LazyPositionIndex implements PositionIndex {
  private index: PositionIndex | undefined;

  constructor(private readonly build: () => PositionIndex) {}

  locate(path: ComposePath): SourceLocation | undefined {
    this.index ??= this.build();
    return this.index.locate(path);
  }
}

function positionsOf(tree: TreeMap, text: string, file: string): PositionIndex {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const at = (offset: number): SourceLocation => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((lineStarts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return { file, line: low + 1, column: offset - (lineStarts[low] as number) + 1 };
  };
  const index = new PathPositionIndex();
  index.set([], at(tree.start));
  for (const [path, offset] of convertTree(tree, MAX_NODES, true).positions ?? []) index.set(path, at(offset));
  return index;
}
