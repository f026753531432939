import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { emitYaml } from '../../../../src/cli/render/yaml-emitter.js';
import { orderProject } from '../../../../src/cli/render/project-yaml.js';
import { loadProject } from '../../../../src/compose/loader.js';
import { CORPUS_DIR, corpusRows, parseExpected, parseLoadWith } from '../../../support/corpus.js';

/** What `config` printed before the emitter: the `yaml` package with these options. */
const reference = (value: unknown): string => stringify(value, { indent: 2, lineWidth: 0, nullStr: 'null' });

const TRICKY = [
  'yes', 'no', 'on', 'off', 'true', 'True', 'FALSE', 'null', 'Null', '~', '', ' ', '0755', '0o17', '0x1F', '1e3', '1.5', '.inf', '-.Inf', '.nan', '-1', '+1',
  ': ', 'a: b', 'a:', ':a', 'a:b', '#', 'a #b', 'a#b', ' lead', 'trail ', '*a', '&a', '!x', '@x', '`x', '%x', '|', '>', '-', '- x', '-x', '?', '? x', '?x',
  '[a]', '{a}', 'a,b', '"', "'", `it's "quoted"`, 'say "hi"', "it's", '---', '...', '--- x', 'x\n---\ny', 'a\\b', 'tab\there',
  'line\nbreak', 'trailing\n', 'two\n\n', '\nleading', '  indented\nfirst', 'ends in blanks\n  ', 'a \nb', 'a\n b', 'é', '😀', '\x07bell', '\u0085next', '\ud800lone',
  'long '.repeat(30), `${'long line '.repeat(8)}\n${'and another '.repeat(8)}\n`,
];

describe('emitYaml', () => {
  it.each(TRICKY)('writes %j as a value and as a key that read back as written', (text) => {
    const data = { [text]: text, list: [text, [text], { [text]: text }] };
    const yaml = emitYaml(data);
    expect(parse(yaml)).toEqual(data);
    expect(yaml).toBe(reference(data));
  });

  it('quotes what YAML would read as something else, and nothing more', () => {
    const lines = (value: string): string => emitYaml({ k: value });
    expect(lines('nginx:1.27')).toBe('k: nginx:1.27\n');
    expect(lines('a b')).toBe('k: a b\n');
    expect(lines('0755')).toBe('k: "0755"\n');
    expect(lines('1e3')).toBe('k: "1e3"\n');
    expect(lines('null')).toBe('k: "null"\n');
    expect(lines('~')).toBe('k: "~"\n');
    expect(lines('')).toBe('k: ""\n');
    expect(lines(': ')).toBe('k: ": "\n');
    expect(lines('#')).toBe('k: "#"\n');
    expect(lines(' lead')).toBe('k: " lead"\n');
    expect(lines('*a')).toBe('k: "*a"\n');
    expect(lines('say "hi"')).toBe('k: say "hi"\n');
    expect(lines('"hi", I said')).toBe(`k: '"hi", I said'\n`);
    expect(lines(`it's "both"`)).toBe('k: it\'s "both"\n');
    expect(lines(`"it's"`)).toBe('k: "\\"it\'s\\""\n');
    expect(lines('one\ntwo\n')).toBe('k: |\n  one\n  two\n');
    expect(lines('one\ntwo')).toBe('k: |-\n  one\n  two\n');
  });

  it('writes block collections with a 2-space indent, empty ones in flow style, nulls as null', () => {
    const data = { a: { b: [1, 'x', null, true, [], {}], c: [[1, 2], { d: 1, e: [3] }] }, f: {}, g: [], h: null, i: -0, j: 1.5, skipped: undefined };
    expect(emitYaml(data)).toBe([
      'a:', '  b:', '    - 1', '    - x', '    - null', '    - true', '    - []', '    - {}',
      '  c:', '    - - 1', '      - 2', '    - d: 1', '      e:', '        - 3',
      'f: {}', 'g: []', 'h: null', 'i: -0', 'j: 1.5', '',
    ].join('\n'));
    expect(emitYaml(data)).toBe(reference(data));
  });

  it('writes special numbers and keys longer than YAML allows for implicit keys', () => {
    const data = { nan: NaN, inf: Infinity, ninf: -Infinity, big: 1e21, [`${'k'.repeat(1030)}`]: { a: 1 }, [`${'j'.repeat(1030)}`]: 'v' };
    expect(emitYaml(data)).toBe(reference(data));
  });

  it('writes random strings exactly as the yaml package does', () => {
    const pieces = ['a', ' ', '\n', '\t', ':', '#', '-', '?', "'", '"', '\\', '0', '1', '.', 'e', '~', '&', '*', '!', '|', '>', '%', '@', '`', '[', '{', ',', '\x01', '\u00a0', 'null', 'yes', '---', '0x'];
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const mismatches: string[] = [];
    for (let n = 0; n < 20_000; n++) {
      let text = '';
      const length = Math.floor(rand() * (rand() < 0.1 ? 50 : 8));
      for (let i = 0; i < length; i++) text += pieces[Math.floor(rand() * pieces.length)];
      const data = { [text]: { [text]: [text, { [text]: text }] } };
      if (emitYaml(data) !== reference(data)) mismatches.push(JSON.stringify(text));
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('prints every valid corpus project as the yaml package did, and it reads back the same', () => {
    const rows = corpusRows().filter((r) => r.role !== 'dotenv' && /\.ya?ml$/.test(r.path) && parseExpected(r.expected).kind === 'valid');
    let printed = 0;
    for (const row of rows) {
      const { files, envFiles } = parseLoadWith(row.loadWith);
      const project = loadProject({ workingDir: CORPUS_DIR, files, envFiles: envFiles.length > 0 ? envFiles : undefined, osEnv: {}, homeDir: '/home/user', onWarning: () => undefined }).project;
      const data = orderProject(project);
      const yaml = emitYaml(data);
      expect(yaml, row.path).toBe(reference(data));
      expect(parse(yaml), row.path).toEqual(data);
      printed++;
    }
    expect(printed).toBeGreaterThan(100);
  }, 120_000);
});
