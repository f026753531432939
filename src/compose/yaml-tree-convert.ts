import { defineKey } from './define-key.js';
import type { ComposePath, Dict } from './types.js';
import { decline } from './yaml-cursor.js';
import type { TreeMap, TreeNode, TreeSeq, TreeTag } from './yaml-tree.js';

/** Paths with the offset of the node each names, in the order they were met. */
export type TreePositions = Array<[ComposePath, number]>;

/** What converting a tree yields besides the data. */
interface Collected {
  positions: TreePositions | undefined;
  resets: ComposePath[];
  overrides: ComposePath[];
}

export interface TreeConversion extends Collected {
  data: Dict;
}

/**
 * Turns the fast reader's tree into plain data exactly as YamlConverter (yaml-convert.ts) turns the
 * `yaml` package's documents: merge keys applied (keys written in the mapping win, then earlier
 * sources over later ones, and a `!reset` key stays absent), every mapping and sequence a fresh
 * object even through an alias, `!reset` paths left out and listed, `!override` paths listed. Where
 * YamlConverter reports an error, this gives the file up to it (see `decline`). Positions are
 * collected only when asked for, since they are needed only to report a problem.
 */
export function convertTree(root: TreeMap, maxNodes: number, withPositions: boolean): TreeConversion {
  const out: Collected = { positions: withPositions ? [] : undefined, resets: [], overrides: [] };
  const data = new TreeConverter(maxNodes).convert(root, out) as Dict;
  return { data, ...out };
}

class TreeConverter {
  private produced = 0;
  private readonly expanding = new Set<TreeNode>();
  /** The path of the node being converted. */
  private readonly path: Array<string | number> = [];

  constructor(private readonly maxNodes: number) {}

  convert(node: TreeNode, out: Collected): unknown {
    if (++this.produced > this.maxNodes) decline();
    switch (node.kind) {
      case 'alias': {
        const target = node.target;
        if (this.expanding.has(target)) decline();
        this.expanding.add(target);
        try {
          return this.convert(target, out);
        } finally {
          this.expanding.delete(target);
        }
      }
      case 'map': return this.convertMap(node, out);
      case 'seq': return this.convertSeq(node, out);
      default: return node.value;
    }
  }

  private convertSeq(seq: TreeSeq, out: Collected): unknown[] {
    const { path } = this;
    const result: unknown[] = [];
    for (const item of seq.items) {
      const index = result.length;
      const tag = tagOf(item);
      if (tag === '!reset') {
        out.resets.push([...path, index]);
        continue;
      }
      if (tag === '!override') out.overrides.push([...path, index]);
      out.positions?.push([[...path, index], item.start]);
      path.push(index);
      result.push(this.convert(item, out));
      path.pop();
    }
    return result;
  }

  private convertMap(map: TreeMap, out: Collected): Dict {
    const { path } = this;
    const result: Dict = {};
    const mergeSources: TreeNode[] = [];
    for (let i = 0; i < map.keys.length; i++) {
      const key = map.keys[i];
      const value = map.values[i];
      if (key === undefined || value === undefined) break;
      if (key.merge) {
        if (value.kind === 'seq') mergeSources.push(...value.items);
        else mergeSources.push(value);
        continue;
      }
      const name = key.name;
      out.positions?.push([[...path, name], key.start]);
      const tag = tagOf(value);
      if (tag === '!reset') {
        out.resets.push([...path, name]);
        continue;
      }
      if (tag === '!override') out.overrides.push([...path, name]);
      path.push(name);
      setKey(result, name, this.convert(value, out));
      path.pop();
    }
    if (mergeSources.length === 0) return result;
    // Every key written in the mapping, `!reset` ones included, wins over the merged ones.
    const claimed = new Set(map.keys.filter((key) => !key.merge).map((key) => key.name));
    for (const source of mergeSources) this.merge(source, result, claimed, out);
    return result;
  }

  /** Adds the keys of one merge source that nothing before it claimed. */
  private merge(source: TreeNode, result: Dict, claimed: Set<string>, out: Collected): void {
    const target = source.kind === 'alias' ? source.target : source;
    if (target.kind !== 'map') decline();
    const depth = this.path.length;
    const sub: Collected = { positions: out.positions === undefined ? undefined : [], resets: [], overrides: [] };
    const merged = this.convert(source, sub) as Dict;
    const taken = new Set<string>();
    for (const key of Object.keys(merged)) if (!claimed.has(key)) taken.add(key);
    for (const resetPath of sub.resets) {
      const key = resetPath[depth];
      if (typeof key === 'string' && resetPath.length === depth + 1 && !claimed.has(key)) taken.add(key);
    }
    for (const key of taken) {
      claimed.add(key);
      if (Object.hasOwn(merged, key)) setKey(result, key, merged[key]);
    }
    const adopt = (p: ComposePath): boolean => {
      const key = p[depth];
      return typeof key === 'string' && taken.has(key);
    };
    if (out.positions !== undefined && sub.positions !== undefined) out.positions.push(...sub.positions.filter(([p]) => adopt(p)));
    out.resets.push(...sub.resets.filter(adopt));
    out.overrides.push(...sub.overrides.filter(adopt));
  }
}

function tagOf(node: TreeNode): TreeTag | undefined {
  return node.kind === 'alias' ? tagOf(node.target) : node.tag;
}

/** `result[key] = value`, as an own property even for `__proto__`. */
function setKey(result: Dict, key: string, value: unknown): void {
  if (key === '__proto__') defineKey(result, key, value);
  else result[key] = value;
}
