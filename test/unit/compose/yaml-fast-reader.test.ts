import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { readComposeYamlFast } from '../../../src/compose/yaml-fast-stage.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';
import { compareReaders } from './yaml-differential.js';

const FILE = '/p/compose.yaml';
const fast = (text: string) => readComposeYamlFast(text, FILE);

describe('readComposeYamlFast', () => {
  it.each([
    ['block mappings and sequences', 'a:\n  b: 1\n  c:\n    - x\n    - y: 2\n      z: 3\n', { a: { b: 1, c: ['x', { y: 2, z: 3 }] } }],
    ['a sequence at the indentation of its key', 'a:\n- x\n- y\nb: 1\n', { a: ['x', 'y'], b: 1 }],
    ['nested sequences', 'a:\n  - - x\n    - y\n  - z\n', { a: [['x', 'y'], 'z'] }],
    ['flow collections over several lines', 'a: [x, {b: 1, c: [2, 3]},\n  y,\n]\nd: {"e":1, f}\n', { a: ['x', { b: 1, c: [2, 3] }, 'y'], d: { e: 1, f: null } }],
    ['core schema scalars', 'a: [yes, 0755, 0o17, 0x1F, 1e3, .inf, -.5, +3, 1_000, ~, Null, TRUE, 12:30]\n', { a: ['yes', 0o755, 15, 31, 1000, Infinity, -0.5, 3, '1_000', null, null, true, '12:30'] }],
    ['plain scalars with colons and hashes', 'a: http://h:80/p#f\nb: x#y # comment\nc: [a:b, -1]\n', { a: 'http://h:80/p#f', b: 'x#y', c: ['a:b', -1] }],
    ['multi-line plain scalars', 'a: one\n  two\n\n  three\nb: 1\n', { a: 'one two\nthree', b: 1 }],
    ['quoted scalars', 'a: "x\\ty\\u00e9\\\n   z"\nb: \'it\'\'s\'\nc: "one\n  two"\n', { a: 'x\tyéz', b: "it's", c: 'one two' }],
    ['block scalars', 'a: |\n  x\n\n    y\nb: >-\n  folded\n  text\n\n  more\nc: |-\n  z\n', { a: 'x\n\n  y\n', b: 'folded text\nmore', c: 'z' }],
    ['anchors, aliases and merge keys', 'x: &x {a: 1, b: 2}\ny:\n  <<: [*x, {c: 3}]\n  b: 9\nz: *x\n', { x: { a: 1, b: 2 }, y: { b: 9, a: 1, c: 3 }, z: { a: 1, b: 2 } }],
    ['properties on a line of their own', 'x:\n  &x\n  a: 1\ny: *x\n', { x: { a: 1 }, y: { a: 1 } }],
    ['a document start marker and comments', '# c\n---\na: 1 # c\n# c\n', { a: 1 }],
    ['quoted keys and __proto__', '"a b": 1\n\'c\': 2\n__proto__: 3\n', { 'a b': 1, c: 2, ['__proto__']: 3 }],
  ])('reads %s', (_name, text, expected) => {
    const parsed = fast(text);
    expect(parsed?.data).toEqual(expected);
    expect(compareReaders(text)).toEqual({ reader: 'fast' });
  });

  it('keeps __proto__ an own key without touching prototypes', () => {
    const data = fast('__proto__:\n  polluted: true\n')?.data;
    expect(Object.keys(data ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('lists !reset and !override paths, through aliases and merges', () => {
    const parsed = fast('x: &x\n  a: !reset 1\n  b: !override [1]\ns:\n  <<: *x\n  p: !reset\n  q: !override {}\n  r:\n    - !reset 1\n    - !override 2\n');
    expect(parsed?.data).toEqual({ x: { b: [1] }, s: { q: {}, r: [2], b: [1] } });
    // An item's path is its index among the items kept: the `!reset` one takes no place.
    expect(parsed?.resets).toEqual([['x', 'a'], ['s', 'p'], ['s', 'r', 0], ['s', 'a']]);
    expect(parsed?.overrides).toEqual([['x', 'b'], ['s', 'q'], ['s', 'r', 0], ['s', 'b']]);
  });

  it('gives the position of every key and item, merged keys at their source', () => {
    const positions = fast('x: &x\n  a: 1\ns:\n  <<: *x\n  list:\n    - one\n    - {b: 2}\n')?.positions;
    expect(positions?.locate([])).toEqual({ file: FILE, line: 1, column: 1 });
    expect(positions?.locate(['s', 'a'])).toEqual({ file: FILE, line: 2, column: 3 });
    expect(positions?.locate(['s', 'list', 1])).toEqual({ file: FILE, line: 7, column: 7 });
    expect(positions?.locate(['s', 'list', 1, 'b'])).toEqual({ file: FILE, line: 7, column: 8 });
    expect(positions?.locate(['s', 'list', 0, 'nope'])).toEqual({ file: FILE, line: 6, column: 7 });
  });

  it.each([
    ['tabs', 'a:\n\tb: 1\n'],
    ['carriage returns', 'a: 1\r\n'],
    ['a byte order mark', '\ufeffa: 1\n'],
    ['a directive', '%YAML 1.2\n---\na: 1\n'],
    ['several documents', 'a: 1\n---\nb: 2\n'],
    ['a document end marker', 'a: 1\n...\n'],
    ['an explicit key', '? a\n: 1\n'],
    ['a key after properties', '&a k: 1\n'],
    ['an unknown tag', 'a: !custom x\n'],
    ['a standard tag', 'a: !!str 1\n'],
    ['an empty sequence item', 'a:\n  -\n  - x\n'],
    ['kept chomping', 'a: |+\n  x\n\n'],
    ['an indentation indicator', 'a: |2\n   x\n'],
    ['a block scalar without a final line break', 'a: |\n  x'],
    ['a pair inside a flow sequence', 'a: [b: 1]\n'],
    ['a plain scalar over lines in a flow collection', 'a: [x\n  y]\n'],
    ['a plain scalar on a line of its own after a key', 'a: b\nc\n'],
    ['a top-level sequence', '- a\n'],
    ['a top-level scalar', 'a\n'],
    ['an empty file', ''],
    ['comments only', '# nothing\n'],
  ])('leaves %s to the yaml package', (_name, text) => {
    expect(fast(text)).toBeUndefined();
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2\n', 'duplicate key "a" at top level: already defined at line 1'],
    ['a non-string key', 'a:\n  1: x\n', 'non-string key in a: 1'],
    ['an unknown alias', 'a: *nope\n', 'unknown alias *nope'],
    ['an alias inside its own anchor', 'a: &a\n  b: *a\n', 'alias *a refers to itself'],
    ['a merge of a sequence', 'x: &x [1]\ny:\n  <<: *x\n', 'merge key << in y must refer to a mapping or a list of mappings'],
    ['a nested mapping on one line', 'a: b: c\n', 'invalid YAML: Nested mappings are not allowed in compact mappings'],
    ['a comment stuck to a value', 'a: "b"#c\n', 'invalid YAML: Comments must be separated from other tokens by white space characters'],
    ['an under-indented flow line', 'a:\n  b: [1,\n  2]\n', 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  ])('leaves %s to the yaml package, which reports it', (_name, text, message) => {
    expect(fast(text)).toBeUndefined();
    let caught: unknown;
    try {
      parseComposeYaml(text, FILE);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TscError);
    expect((caught as TscError).code).toBe('COMPOSE_YAML');
    expect((caught as TscError).message).toBe(message);
  });

  it('leaves a document that expands past the node budget to the yaml package', () => {
    let text = 'a: &a [x, x, x, x, x, x, x, x, x, x]\n';
    for (const [name, previous] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e']]) {
      text += `${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]\n`;
    }
    expect(fast(text)).toBeUndefined();
    expect(() => parseComposeYaml(text, FILE)).toThrow(/excessive aliasing/);
  });
});
