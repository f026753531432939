import type { Alias, Document, LineCounter, Node, ScalarTag, YAMLMap, YAMLSeq } from 'yaml';
import { TscError } from '../errors/index.js';
import type { SourceLocation } from '../errors/index.js';
import { defineKey } from './define-key.js';
import { formatPath } from './types.js';
import type { ComposePath, Dict } from './types.js';
import { yamlLibrary } from './yaml-library.js';

export const RESET_TAG = '!reset';
export const OVERRIDE_TAG = '!override';

/** What reading a tree yields besides the data: positions and the tagged paths. */
export interface Collected {
  positions: Array<[ComposePath, SourceLocation]>;
  resets: ComposePath[];
  overrides: ComposePath[];
}

export interface ConvertContext {
  doc: Document;
  text: string;
  file: string;
  lineCounter: LineCounter;
  /** Upper bound on nodes produced, aliases expanded included. */
  maxNodes: number;
}

export function emptyCollected(): Collected {
  return { positions: [], resets: [], overrides: [] };
}

/**
 * Turns a YAML AST into plain data. Merge keys (`<<: *a`, `<<: [*a, *b]`, nested) are applied here:
 * keys written in the mapping win, then earlier merge sources over later ones, and a key tagged
 * `!reset` stays absent. Every mapping and sequence is a fresh object, even when reached through an
 * alias. Keys must be strings and unique within their mapping.
 */
export class YamlConverter {
  private produced = 0;
  private readonly expanding = new Set<Node>();
  /** What each alias refers to: the last node before it with that anchor, found in one pass. */
  private readonly targets = new Map<Alias, Node>();
  private readonly yaml = yamlLibrary();

  constructor(private readonly ctx: ConvertContext) {
    const anchors = new Map<string, Node>();
    const { isAlias } = this.yaml;
    this.yaml.visit(ctx.doc, {
      Node: (_key, node) => {
        if (isAlias(node)) {
          const target = anchors.get(node.source);
          if (target !== undefined) this.targets.set(node, target);
        } else if (node.anchor !== undefined) {
          anchors.set(node.anchor, node);
        }
      },
    });
  }

  locationOf(node: Node | null | undefined): SourceLocation {
    const offset = node?.range?.[0];
    if (offset === undefined) return { file: this.ctx.file };
    const { line, col } = this.ctx.lineCounter.linePos(offset);
    return { file: this.ctx.file, line, column: col };
  }

  convert(node: unknown, path: ComposePath, out: Collected): unknown {
    if (++this.produced > this.ctx.maxNodes) throw this.error('excessive aliasing: the document expands to too many nodes', node as Node);
    if (this.yaml.isAlias(node)) {
      const target = this.targets.get(node);
      if (target === undefined) throw this.error(`unknown alias *${node.source}`, node);
      if (this.expanding.has(target)) throw this.error(`alias *${node.source} refers to itself`, node);
      this.expanding.add(target);
      try {
        return this.convert(target, path, out);
      } finally {
        this.expanding.delete(target);
      }
    }
    if (this.yaml.isMap(node)) return this.convertMap(node, path, out);
    if (this.yaml.isSeq(node)) return this.convertSeq(node, path, out);
    if (this.yaml.isScalar(node)) {
      if ((node.tag === RESET_TAG || node.tag === OVERRIDE_TAG) && node.type === 'PLAIN') return this.resolvePlain(String(node.value));
      return node.value;
    }
    return null;
  }

  private convertSeq(seq: YAMLSeq, path: ComposePath, out: Collected): unknown[] {
    const result: unknown[] = [];
    for (const item of seq.items) {
      const itemPath = [...path, result.length];
      const tag = this.tagOf(item);
      if (tag === RESET_TAG) {
        out.resets.push(itemPath);
        continue;
      }
      if (tag === OVERRIDE_TAG) out.overrides.push(itemPath);
      out.positions.push([itemPath, this.locationOf(item as Node)]);
      result.push(this.convert(item, itemPath, out));
    }
    return result;
  }

  private convertMap(map: YAMLMap, path: ComposePath, out: Collected): Dict {
    const result: Dict = {};
    const claimed = new Map<string, number | undefined>();
    const mergeSources: Array<{ source: unknown; keyNode: Node }> = [];
    for (const pair of map.items) {
      const keyNode = pair.key as Node | null;
      if (this.yaml.isScalar(keyNode) && typeof keyNode.value === 'symbol') {
        const sources = this.yaml.isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const source of sources) mergeSources.push({ source, keyNode });
        continue;
      }
      const key = this.keyOf(keyNode, path);
      const location = this.locationOf(keyNode);
      if (claimed.has(key)) {
        const first = claimed.get(key);
        throw this.error(`duplicate key ${JSON.stringify(key)} ${where(path)}${first === undefined ? '' : `: already defined at line ${first}`}`, keyNode, 'remove or rename one of the two keys');
      }
      claimed.set(key, location.line);
      const childPath = [...path, key];
      out.positions.push([childPath, location]);
      const tag = this.tagOf(pair.value);
      if (tag === RESET_TAG) {
        out.resets.push(childPath);
        continue;
      }
      if (tag === OVERRIDE_TAG) out.overrides.push(childPath);
      defineKey(result, key, this.convert(pair.value, childPath, out));
    }
    for (const { source, keyNode } of mergeSources) this.merge(source, keyNode, path, result, claimed, out);
    return result;
  }

  /** Adds the keys of one merge source that nothing before it claimed. */
  private merge(source: unknown, keyNode: Node, path: ComposePath, result: Dict, claimed: Map<string, number | undefined>, out: Collected): void {
    const target = this.yaml.isAlias(source) ? this.targets.get(source) : source;
    if (!this.yaml.isMap(target)) throw this.error(`merge key << ${where(path)} must refer to a mapping or a list of mappings`, keyNode);
    const sub = emptyCollected();
    const merged = this.convert(source, path, sub) as Dict;
    const taken = new Set<string>();
    for (const key of Object.keys(merged)) if (!claimed.has(key)) taken.add(key);
    for (const resetPath of sub.resets) {
      const key = resetPath[path.length];
      if (typeof key === 'string' && resetPath.length === path.length + 1 && !claimed.has(key)) taken.add(key);
    }
    for (const key of taken) {
      claimed.set(key, undefined);
      if (Object.hasOwn(merged, key)) defineKey(result, key, merged[key]);
    }
    const adopt = (p: ComposePath): boolean => {
      const key = p[path.length];
      return typeof key === 'string' && taken.has(key);
    };
    out.positions.push(...sub.positions.filter(([p]) => adopt(p)));
    out.resets.push(...sub.resets.filter(adopt));
    out.overrides.push(...sub.overrides.filter(adopt));
  }

  private keyOf(node: Node | null, path: ComposePath): string {
    const resolved = this.yaml.isAlias(node) ? this.targets.get(node) : node;
    if (this.yaml.isScalar(resolved) && typeof resolved.value === 'string') return resolved.value;
    const range = node?.range;
    const text = range === undefined || range === null ? '' : this.ctx.text.slice(range[0], range[1]).trim();
    throw this.error(`non-string key ${where(path)}: ${text === '' ? 'null' : text}`, node, 'quote the key to make it a string');
  }

  private tagOf(node: unknown): string | undefined {
    const resolved = this.yaml.isAlias(node) ? this.targets.get(node) : node;
    return this.yaml.isMap(resolved) || this.yaml.isSeq(resolved) || this.yaml.isScalar(resolved) ? resolved.tag : undefined;
  }

  /**
   * A plain scalar under a custom tag, typed as the core schema would type it untagged. Some of the
   * library's tags (null, booleans, floats) resolve to a scalar node rather than to its value.
   */
  private resolvePlain(text: string): unknown {
    for (const tag of this.ctx.doc.schema.tags) {
      const scalar = tag as ScalarTag;
      if (scalar.collection === undefined && scalar.default === true && scalar.test?.test(text) === true) {
        const resolved = scalar.resolve(text, () => undefined, {});
        return this.yaml.isScalar(resolved) ? resolved.value : resolved;
      }
    }
    return text;
  }

  error(message: string, node: Node | null | undefined, hint = 'fix the YAML of the compose file'): TscError {
    return new TscError('COMPOSE_YAML', message, {
      hint,
      location: this.locationOf(node),
    });
  }
}

function where(path: ComposePath): string {
  return path.length === 0 ? 'at top level' : `in ${formatPath(path)}`;
}
