import { parse, stringify } from 'yaml';
import { readComposeYamlFast } from '../../../src/compose/yaml-fast-stage.js';
import { parseComposeYamlWithLibrary } from '../../../src/compose/yaml-library-stage.js';
import type { ComposePath, ParsedFile } from '../../../src/compose/types.js';

// Helpers for checking the fast YAML reader against the `yaml` package, which is the reference:
// on every text the fast reader accepts, both must give the same data (key order and number kinds
// included), the same `!reset` / `!override` paths and the same position for every path.

const FILE = '/p/compose.yaml';

/** Data as text, telling apart what `toEqual` would not: key order, -0, NaN, non-plain objects. */
export function exactText(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(exactText).join(',')}]`;
  if (typeof value === 'object') {
    if (Object.getPrototypeOf(value) !== Object.prototype) return `<${value.constructor?.name ?? 'no prototype'}>`;
    return `{${Object.keys(value).map((k) => `${JSON.stringify(k)}:${exactText((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return `<${typeof value}>`;
}

function pathsOf(value: unknown, path: ComposePath, out: ComposePath[]): void {
  out.push(path);
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...path, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...path, k], out);
}

/** What differs between two results, or `undefined`. */
function difference(fast: ParsedFile, library: ParsedFile): string | undefined {
  if (exactText(fast.data) !== exactText(library.data)) return `data: ${exactText(fast.data).slice(0, 400)} <> ${exactText(library.data).slice(0, 400)}`;
  if (JSON.stringify(fast.resets) !== JSON.stringify(library.resets)) return `resets: ${JSON.stringify(fast.resets)} <> ${JSON.stringify(library.resets)}`;
  if (JSON.stringify(fast.overrides) !== JSON.stringify(library.overrides)) return `overrides: ${JSON.stringify(fast.overrides)} <> ${JSON.stringify(library.overrides)}`;
  const paths: ComposePath[] = [];
  pathsOf(library.data, [], paths);
  for (const path of [...paths, ...library.resets, ...library.overrides]) {
    for (const probe of [path, [...path, 'not-there']]) {
      const a = JSON.stringify(fast.positions.locate(probe));
      const b = JSON.stringify(library.positions.locate(probe));
      if (a !== b) return `position of ${JSON.stringify(probe)}: ${a} <> ${b}`;
    }
  }
  return undefined;
}

export type Verdict = { reader: 'fast' | 'library' } | { mismatch: string };

/** Reads `text` with both readers: which one a load would use, or how they disagree. */
export function compareReaders(text: string): Verdict {
  const fast = readComposeYamlFast(text, FILE);
  if (fast === undefined) return { reader: 'library' };
  let library: ParsedFile;
  try {
    library = parseComposeYamlWithLibrary(text, FILE);
  } catch (err) {
    return { mismatch: `the fast reader accepted what the library refuses: ${(err as Error).message}` };
  }
  const diff = difference(fast, library);
  return diff === undefined ? { reader: 'fast' } : { mismatch: diff };
}

export type Rand = () => number;

/** A seeded generator, so a failing case reproduces. */
export function prng(seed: number): Rand {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

const TOKENS = [':', '- ', '{', '}', '[', ']', '!reset ', '!override ', '&a ', '*a', '&b ', '*b', '<<: *a', '<<: [*a]', '\t', '"', "'", '#', ' #', '|', '>', '|-', '?', '%', '@', '`', ',', '\\', 'null', '~', '0x1F', '1e9', '.inf', '-1', ' ', '  ', '\n', '\n  ', '---', '...', ': '];

/** Breaks a text the way an editor does: a line removed, doubled, re-indented, cut, or a token in it. */
export function mutateText(text: string, rand: Rand, tokens: readonly string[] = TOKENS): string {
  const lines = text.split('\n');
  const i = Math.floor(rand() * lines.length);
  switch (Math.floor(rand() * 6)) {
    case 0: lines.splice(i, 1); break;
    case 1: lines.splice(i, 0, lines[i] ?? ''); break;
    case 2: lines[i] = `${' '.repeat(Math.floor(rand() * 6))}${(lines[i] ?? '').trimStart()}`; break;
    case 3: {
      const line = lines[i] ?? '';
      const at = Math.floor(rand() * (line.length + 1));
      lines[i] = line.slice(0, at) + pick(rand, tokens) + line.slice(at);
      break;
    }
    case 4: return text.slice(0, Math.floor(rand() * text.length));
    default: {
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j] ?? '', lines[i] ?? ''];
    }
  }
  return lines.join('\n');
}

/** Walks down a random path of at most six keys into `data` and puts a copy of one of `values` where it stops. */
export function replaceAtRandomPath(data: unknown, rand: Rand, values: readonly unknown[]): void {
  let node = data;
  for (let depth = 0; depth < 6 && node !== null && typeof node === 'object'; depth++) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = pick(rand, keys);
    const child = (node as Record<string, unknown>)[key];
    if (rand() < 0.35 || child === null || typeof child !== 'object') {
      (node as Record<string, unknown>)[key] = structuredClone(pick(rand, values));
      break;
    }
    node = child;
  }
}

const VALUES: unknown[] = [null, 0, -1, 1.5, true, '', 'x', '80:80', 'a\nb', 'a\n\nb\n', ' lead', 'trail ', '#x', 'x #y', 'yes', '0755', '1e3', '~', 'null', '*a', '&a', '!x', '@', '`', ': ', '- x', 'a: b', "it's", 'say "hi"', [], [null], {}, { a: { b: [1] } }, 'multi\n  indented\nlines\n\n\n'];

/** Replaces one value of the data and writes the text again, in one of several YAML styles. */
export function mutateData(text: string, rand: Rand): string {
  let data: unknown;
  try {
    data = parse(text, { logLevel: 'silent', customTags: [{ tag: '!reset', resolve: (v: string) => v }, { tag: '!override', resolve: (v: string) => v }] });
  } catch {
    return mutateText(text, rand);
  }
  replaceAtRandomPath(data, rand, VALUES);
  const styles = [{}, { collectionStyle: 'flow' as const }, { defaultStringType: 'QUOTE_DOUBLE' as const }, { defaultStringType: 'QUOTE_SINGLE' as const }, { indentSeq: false }, { indent: 4 }, { lineWidth: 20 }];
  return stringify(data, pick(rand, styles));
}
