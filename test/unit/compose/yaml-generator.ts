import { pick } from './yaml-differential.js';
import type { Rand } from './yaml-differential.js';

// Random compose-like YAML in the many ways it can be written: block and flow collections, every
// scalar style, multi-line scalars, comments, anchors, aliases, merge keys, tags and indentations
// of one to four spaces. Mostly valid, so that the fast reader is exercised, not just refused.

const SCALARS = ['v', 'w x', 'a:b', 'a#b', 'http://h:80/p?q=1#f', '1', '-1', '0o17', '0x1F', '1e3', '3.50', '.inf', '.NaN', 'true', 'False', 'yes', 'on', 'null', '~', '0755', '12:30:00', '${VAR:-x}', 'é', '😀', 'a b  c', '-x', '--flag=1', 'a,b', 'a]b', 'x: y', '#x', ' lead', 'trail ', '', "it's", 'say "hi"', 'back\\slash', '<<', '*x', '&y', '!t', '@', '%', '|', '?x', ':x', '- x', '---', 'a\nb', 'a\n\nb', 'a\nb\n', '\nlead', 'x\n\n\n', '  ind\nx\n', 'tab\tx'];
const KEYS = ['a', 'b', 'c', 'image', 'ports', 'x y', 'k-1', '"q k"', "'s k'", '"1"', 'é', '__proto__', 'a.b', '"a:b"', 'a:b', '"<<"'];
const BLOCK_BODIES = [['x'], ['a', 'b'], ['a', '    ', 'b'], ['a', '', 'b'], ['a', '  more', 'b'], ['', 'a'], ['# not a comment', 'x'], ['a', '', '', 'b', '']];

export class YamlGenerator {
  private anchors: string[] = [];
  private budget = 0;

  constructor(private readonly rand: Rand) {}

  document(): string {
    this.anchors = [];
    this.budget = 25;
    const step = pick(this.rand, ['  ', '  ', '    ', ' ', '   ']);
    return `${this.mapping(0, '', step).join('\n')}\n`;
  }

  private chance(p: number): boolean {
    return this.rand() < p;
  }

  private scalar(inFlow: boolean, indent: string): string {
    const s = pick(this.rand, SCALARS);
    const style = this.rand();
    if (style < 0.35 && !s.includes('\n')) return plainSafe(s) || this.chance(0.3) ? s : JSON.stringify(s);
    if (style < 0.6) return JSON.stringify(s);
    if (style < 0.75 && !s.includes('\n')) return `'${s.replace(/'/g, "''")}'`;
    if (style < 0.85 && !inFlow) {
      const lines = pick(this.rand, BLOCK_BODIES).map((l) => (l === '' ? '' : `${indent}  ${l}`));
      return `${pick(this.rand, ['|', '>', '|-', '>-'])}\n${lines.join('\n')}`;
    }
    if (!inFlow && this.chance(0.5)) return `w1 w2\n${indent}  w3\n\n${indent}  w4`;
    return JSON.stringify(s);
  }

  private props(): string {
    let props = '';
    if (this.chance(0.1)) {
      const name = pick(this.rand, ['x', 'y', 'z']);
      this.anchors.push(name);
      props += `&${name} `;
    }
    if (this.chance(0.05)) props += pick(this.rand, ['!reset ', '!override ']);
    return props;
  }

  private alias(): string | undefined {
    return this.anchors.length > 0 && this.chance(0.1) ? `*${pick(this.rand, this.anchors)}` : undefined;
  }

  private flow(depth: number): string {
    if (depth > 2 || this.chance(0.4)) return this.alias() ?? this.scalar(true, '');
    const n = Math.floor(this.rand() * 4);
    if (this.chance(0.5)) {
      const items = Array.from({ length: n }, () => this.props() + this.flow(depth + 1));
      return `[${items.join(pick(this.rand, [', ', ',', ' , ', ',\n    ']))}${this.chance(0.1) && n > 0 ? ',' : ''}]`;
    }
    const keys = new Set(Array.from({ length: n }, () => pick(this.rand, KEYS)));
    const entries = [...keys].map((k) => (this.chance(0.1) ? k : `${k}: ${this.props()}${this.flow(depth + 1)}`));
    const alias = this.alias();
    if (alias !== undefined) entries.push(`<<: ${alias}`);
    return `{${entries.join(', ')}}`;
  }

  private mapping(depth: number, indent: string, step: string): string[] {
    const out: string[] = [];
    const keys = new Set<string>();
    const n = 1 + Math.floor(this.rand() * 4);
    for (let i = 0; i < n && this.budget-- > 0; i++) {
      if (this.chance(0.1)) out.push(`${indent}# comment ${i}`);
      if (this.chance(0.1)) out.push('');
      const key = pick(this.rand, KEYS);
      if (keys.has(key)) continue;
      keys.add(key);
      const alias = this.alias();
      if (alias !== undefined && this.chance(0.5)) {
        out.push(`${indent}<<: ${this.chance(0.7) ? alias : `[${alias}]`}`);
        continue;
      }
      const props = this.props();
      const kind = this.rand();
      if (kind < 0.4 || depth > 3) {
        out.push(`${indent}${key}: ${props}${this.alias() ?? this.scalar(false, indent)}${this.chance(0.1) ? ' # tail' : ''}`);
      } else if (kind < 0.55) {
        out.push(`${indent}${key}: ${props}${this.flow(0)}`);
      } else if (kind < 0.75) {
        if (props !== '' && this.chance(0.3)) out.push(`${indent}${key}:`, `${indent}${step}${props.trim()}`);
        else out.push(`${indent}${key}:${props === '' ? '' : ` ${props.trim()}`}`);
        out.push(...this.mapping(depth + 1, indent + step, step));
      } else {
        out.push(`${indent}${key}:${props === '' ? '' : ` ${props.trim()}`}`);
        out.push(...this.sequence(depth, this.chance(0.3) ? indent : indent + step, step));
      }
    }
    return out;
  }

  private sequence(depth: number, indent: string, step: string): string[] {
    const out: string[] = [];
    const n = 1 + Math.floor(this.rand() * 3);
    for (let j = 0; j < n; j++) {
      const props = this.props();
      const kind = this.rand();
      if (kind < 0.4) {
        out.push(`${indent}- ${props}${this.scalar(false, indent)}`);
      } else if (kind < 0.6) {
        out.push(`${indent}- ${props}${this.flow(0)}`);
      } else if (kind < 0.8) {
        const [first, ...rest] = this.mapping(depth + 1, `${indent}  `, step);
        if (first !== undefined && first.trim() !== '' && !first.trimStart().startsWith('#')) out.push(`${indent}- ${first.trimStart()}`, ...rest);
      } else if (kind < 0.9) {
        out.push(`${indent}- - ${this.scalar(false, `${indent}  `)}`, `${indent}  - x`);
      } else {
        out.push(`${indent}-${props === '' ? '' : ` ${props.trim()}`}`, ...this.mapping(depth + 1, `${indent}  `, step));
      }
    }
    return out;
  }
}

function plainSafe(s: string): boolean {
  return s !== '' && !/^[-?:,[\]{}#&*!|>'"%@`\s]|: | #|:$|\s$/.test(s);
}
