import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';
import { CORPUS_DIR, corpusRows } from '../../support/corpus.js';
import { failure as errorOf } from '../../support/compose.js';

const FILE = '/p/compose.yaml';
const parse = (text: string) => parseComposeYaml(text, FILE);
const dataOf = (text: string) => parse(text).data;

/** The value at `path` inside parsed data. */
function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], value);
}


describe('parseComposeYaml', () => {
  it('returns the data with the file path', () => {
    const parsed = parse('services:\n  web:\n    image: nginx\n');
    expect(parsed.path).toBe(FILE);
    expect(parsed.data).toEqual({ services: { web: { image: 'nginx' } } });
    expect(parsed.resets).toEqual([]);
    expect(parsed.overrides).toEqual([]);
    expect(parseComposeYaml('a: 1\n', '-').path).toBe('-');
  });

  describe('YAML 1.2 core schema', () => {
    it('types scalars as YAML 1.2 does', () => {
      expect(dataOf(`
version: "3"
v: 3.8
ports:
  - 80:80
  - "443:443"
  - 9000
yes_: yes
no_: no
on_: on
t: true
f: False
n1: null
n2: ~
n3:
octal: 0o17
hex: 0x1F
leading0: 0755
exp: 1e3
inf: .inf
str: "true"
time: 12:30:00
date: 2024-01-01
`)).toEqual({
        version: '3', v: 3.8, ports: ['80:80', '443:443', 9000], yes_: 'yes', no_: 'no', on_: 'on', t: true, f: false,
        n1: null, n2: null, n3: null, octal: 15, hex: 31, leading0: 0o755, exp: 1000, inf: Infinity, str: 'true',
        time: '12:30:00', date: '2024-01-01',
      });
    });

    it('keeps block scalars and multi-line strings', () => {
      expect(dataOf('a: |\n  line 1\n  line 2\nb: >\n  folded\n  text\n')).toEqual({ a: 'line 1\nline 2\n', b: 'folded text\n' });
    });

    it('keeps unknown tags as plain values', () => {
      expect(dataOf('a: !custom text\n')).toEqual({ a: 'text' });
    });

    it('accepts a trailing document marker', () => {
      expect(dataOf('a: 1\n---\n')).toEqual({ a: 1 });
      expect(dataOf('---\na: 1\n...\n')).toEqual({ a: 1 });
    });
  });

  describe('positions', () => {
    const parsed = parse(`services:
  web:
    image: nginx
    ports:
      - "80:80"
      - target: 443
        published: 8443
  "db.main":
    image: postgres
`);

    it('records the key of every mapping entry and every sequence item', () => {
      expect(parsed.positions.locate(['services'])).toEqual({ file: FILE, line: 1, column: 1 });
      expect(parsed.positions.locate(['services', 'web', 'image'])).toEqual({ file: FILE, line: 3, column: 5 });
      expect(parsed.positions.locate(['services', 'web', 'ports', 0])).toEqual({ file: FILE, line: 5, column: 9 });
      expect(parsed.positions.locate(['services', 'web', 'ports', 1, 'published'])).toEqual({ file: FILE, line: 7, column: 9 });
      expect(parsed.positions.locate(['services', 'db.main', 'image'])).toEqual({ file: FILE, line: 9, column: 5 });
    });

    it('falls back to the nearest ancestor', () => {
      expect(parsed.positions.locate(['services', 'web', 'ports', 0, 'target'])).toEqual({ file: FILE, line: 5, column: 9 });
      expect(parsed.positions.locate(['services', 'api', 'image'])).toEqual({ file: FILE, line: 1, column: 1 });
      expect(parsed.positions.locate(['nope'])).toEqual({ file: FILE, line: 1, column: 1 });
      expect(parsed.positions.locate([])).toEqual({ file: FILE, line: 1, column: 1 });
    });
  });

  describe('anchors, aliases and merge keys', () => {
    it('expands aliases into copies', () => {
      const data = dataOf('x-env: &env\n  A: 1\nservices:\n  a:\n    environment: *env\n  b:\n    environment: *env\n');
      expect(at(data, 'services', 'a', 'environment')).toEqual({ A: 1 });
      expect(at(data, 'services', 'a', 'environment')).not.toBe(at(data, 'services', 'b', 'environment'));
      expect(at(data, 'services', 'a', 'environment')).not.toBe(data['x-env']);
    });

    it('merges <<: *a, with keys written in the mapping winning wherever they are', () => {
      const data = dataOf(`
x-base: &base
  image: base
  restart: always
services:
  before:
    image: mine
    <<: *base
  after:
    <<: *base
    image: mine
`);
      expect(at(data, 'services', 'before')).toEqual({ image: 'mine', restart: 'always' });
      expect(at(data, 'services', 'after')).toEqual({ image: 'mine', restart: 'always' });
    });

    it('merges <<: [*a, *b] with earlier sources winning', () => {
      const data = dataOf(`
x-a: &a {image: a, user: a}
x-b: &b {image: b, init: true}
svc:
  <<: [*a, *b]
  user: own
`);
      expect(data.svc).toEqual({ image: 'a', user: 'own', init: true });
    });

    it('merges nested merges and merges at any depth', () => {
      const data = dataOf(`
x-one: &one {a: 1}
x-two: &two
  <<: *one
  b: 2
x-deploy: &deploy {replicas: 1}
svc:
  <<: *two
  c: 3
  deploy:
    <<: *deploy
    mode: global
`);
      expect(data.svc).toEqual({ a: 1, b: 2, c: 3, deploy: { replicas: 1, mode: 'global' } });
      expect(data['x-two']).toEqual({ a: 1, b: 2 });
    });

    it('merges an inline mapping', () => {
      expect(dataOf('svc:\n  <<: {a: 1}\n  b: 2\n').svc).toEqual({ a: 1, b: 2 });
    });

    it('merges are shallow: a key written in the mapping replaces the whole value', () => {
      const data = dataOf('x: &x {env: {A: 1, B: 2}}\nsvc:\n  <<: *x\n  env: {C: 3}\n');
      expect(data.svc).toEqual({ env: { C: 3 } });
    });

    it('gives merged keys positions in the source mapping', () => {
      const parsed = parse('x-base: &base\n  image: base\nservices:\n  web:\n    <<: *base\n    user: me\n');
      expect(parsed.positions.locate(['services', 'web', 'image'])).toEqual({ file: FILE, line: 2, column: 3 });
      expect(parsed.positions.locate(['services', 'web', 'user'])).toEqual({ file: FILE, line: 6, column: 5 });
    });

    it('rejects a merge of something that is not a mapping', () => {
      const err = errorOf(() => parse('x: &x [1, 2]\nsvc:\n  <<: *x\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toContain('in svc');
      expect(err.location).toEqual({ file: FILE, line: 3, column: 3 });
    });

    it('treats a quoted "<<" as an ordinary key', () => {
      expect(dataOf('"<<": {a: 1}\n')).toEqual({ '<<': { a: 1 } });
    });

    it('accepts many uses of one anchor, as big real files have', () => {
      const lines = ['x-log: &log {driver: json-file}', 'services:'];
      for (let i = 0; i < 500; i++) lines.push(`  s${i}:`, '    image: busybox', '    logging: *log', '    <<: *log');
      const data = dataOf(lines.join('\n'));
      expect(Object.keys(at(data, 'services') as object)).toHaveLength(500);
      expect(at(data, 'services', 's499')).toEqual({ image: 'busybox', logging: { driver: 'json-file' }, driver: 'json-file' });
    });

    it('parses the corpus file with the heaviest use of merge keys', () => {
      const path = resolve(CORPUS_DIR, 'apps/sentry-self-hosted/docker-compose.yml');
      const data = parseComposeYaml(readFileSync(path, 'utf8'), path).data;
      expect(Object.keys(at(data, 'services') as object).length).toBeGreaterThan(30);
    });

    it('stops a billion-laughs document quickly', () => {
      let text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
      const names = 'abcdefghij';
      for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`;
      const started = performance.now();
      const err = errorOf(() => parse(text));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toContain('excessive aliasing');
      expect(performance.now() - started).toBeLessThan(5000);
    });

    it('rejects an alias to an undefined anchor', () => {
      expect(errorOf(() => parse('a: *nope\n')).code).toBe('COMPOSE_YAML');
    });
  });

  describe('!reset and !override', () => {
    it('removes !reset values from the data and lists their paths', () => {
      const parsed = parse(`services:
  web:
    image: nginx
    ports: !reset []
    environment:
      FOO: !reset
      BAR: kept
    command: !reset null
`);
      expect(parsed.data).toEqual({ services: { web: { image: 'nginx', environment: { BAR: 'kept' } } } });
      expect(parsed.resets).toEqual([
        ['services', 'web', 'ports'],
        ['services', 'web', 'environment', 'FOO'],
        ['services', 'web', 'command'],
      ]);
    });

    it('a !reset key wins over a value brought in by a merge key', () => {
      const parsed = parse('x-base: &base\n  image: base\n  user: root\nservices:\n  web:\n    <<: *base\n    user: !reset null\n');
      expect(parsed.data).toEqual({ 'x-base': { image: 'base', user: 'root' }, services: { web: { image: 'base' } } });
      expect(parsed.resets).toEqual([['services', 'web', 'user']]);
    });

    it('removes a !reset sequence item', () => {
      const parsed = parse('a:\n  - one\n  - !reset two\n  - three\n');
      expect(parsed.data).toEqual({ a: ['one', 'three'] });
      expect(parsed.resets).toEqual([['a', 1]]);
    });

    it('keeps !override values in the data and lists their paths', () => {
      const parsed = parse(`services:
  web:
    ports: !override
      - "8080:80"
    environment: !override {A: 1}
    scale: !override 2
    user: !override "2"
`);
      expect(parsed.data).toEqual({ services: { web: { ports: ['8080:80'], environment: { A: 1 }, scale: 2, user: '2' } } });
      expect(parsed.overrides).toEqual([
        ['services', 'web', 'ports'],
        ['services', 'web', 'environment'],
        ['services', 'web', 'scale'],
        ['services', 'web', 'user'],
      ]);
    });

    it('types a plain !override scalar as it would be typed untagged, whichever reader reads it', () => {
      const text = 'a: !override true\nb: !override 1.50\nc: !override null\nd: !override\ne: !override 0755\nf: !override "true"\n';
      const expected = { a: true, b: 1.5, c: null, d: null, e: 0o755, f: 'true' };
      expect(dataOf(text)).toEqual(expected);
      // A tab in a comment sends the file to the yaml package.
      expect(dataOf(`# \t\n${text}`)).toEqual(expected);
    });

    it('carries tags through aliases', () => {
      const parsed = parse('x: &x !override [1]\ny: *x\n');
      expect(parsed.data).toEqual({ x: [1], y: [1] });
      expect(parsed.overrides).toEqual([['x'], ['y']]);
    });
  });

  describe('errors', () => {
    it('reports a syntax error with file, line and column', () => {
      const err = errorOf(() => parse('services:\n  web:\n    image: "unclosed\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.location?.file).toBe(FILE);
      expect(err.location?.line).toBeGreaterThanOrEqual(3);
      expect(err.location?.column).toBeGreaterThanOrEqual(1);
      expect(err.hint).toBeDefined();
    });

    it('reports a bad implicit key', () => {
      const err = errorOf(() => parse('services:foo\n  web:\n    image: x\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toContain('Implicit keys need to be on a single line');
      expect(err.location?.line).toBeDefined();
    });

    it('reports a duplicate key, naming it', () => {
      const err = errorOf(() => parse('services:\n  web:\n    image: a\n    image: b\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toBe('duplicate key "image" in services.web: already defined at line 3');
      expect(err.location).toEqual({ file: FILE, line: 4, column: 5 });
    });

    it('reports a duplicate key written once quoted and once plain', () => {
      const err = errorOf(() => parse('a: 1\n"a": 2\n'));
      expect(err.message).toContain('"a"');
      expect(err.message).toContain('at top level');
    });

    it('reports tabs in indentation', () => {
      const err = errorOf(() => parse('services:\n\tweb:\n\t\timage: x\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toBe('tabs are not allowed as indentation');
      expect(err.location).toEqual({ file: FILE, line: 2, column: 1 });
      expect(err.hint).toContain('spaces');
    });

    it.each([
      ['a scalar', 'MALFORMED\n'],
      ['a sequence', '- a\n- b\n'],
      ['an explicit null', 'null\n'],
    ])('rejects %s at the top level', (_name, text) => {
      const err = errorOf(() => parse(text));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toBe('top-level object must be a mapping');
      expect(err.location).toEqual({ file: FILE, line: 1, column: 1 });
    });

    it.each([
      ['nothing', ''],
      ['blank lines', '\n\n  \n'],
      ['comments only', '# nothing here\n# at all\n'],
      ['a document marker only', '---\n'],
    ])('rejects a file with %s as empty', (_name, text) => {
      const err = errorOf(() => parse(text));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toBe('empty compose file');
      expect(err.location).toEqual({ file: FILE });
    });

    it.each([
      ['a number', 'services:\n  123:\n    image: x\n', 'non-string key in services: 123', 2],
      ['a boolean', 'services:\n  web:\n    true: x\n', 'non-string key in services.web: true', 3],
      ['null', 'services:\n  null:\n    image: x\n', 'non-string key in services: null', 2],
      ['~', 'services:\n  ~: x\n', 'non-string key in services: ~', 2],
      ['a float at top level', '1.5: x\n', 'non-string key at top level: 1.5', 1],
      ['a sequence', '? [a]\n: x\n', 'non-string key at top level: [a]', 1],
    ])('rejects %s as a key', (_name, text, message, line) => {
      const err = errorOf(() => parse(text));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toBe(message);
      expect(err.location?.line).toBe(line);
      expect(err.hint).toContain('quote');
    });

    it('accepts quoted number keys', () => {
      expect(dataOf('services:\n  "123":\n    image: x\n')).toEqual({ services: { '123': { image: 'x' } } });
    });

    it('rejects several documents in one file', () => {
      const err = errorOf(() => parse('a: 1\n---\nb: 2\n'));
      expect(err.code).toBe('COMPOSE_YAML');
      expect(err.message).toContain('multiple YAML documents');
      expect(err.location?.line).toBe(2);
    });

    it('keeps __proto__ as an ordinary key', () => {
      const data = dataOf('__proto__:\n  polluted: true\n');
      expect(Object.keys(data)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});

describe('parseComposeYaml on the corpus', () => {
  const rows = corpusRows().filter((row) => row.role !== 'dotenv');
  const YAML_FAILURES = /^fail: (YAML|top-level|empty|non-string)/;

  it('parses every file, and fails exactly those whose raw check failed in YAML', () => {
    const mismatches: string[] = [];
    let failed = 0;
    for (const row of rows) {
      const path = resolve(CORPUS_DIR, row.path);
      const shouldFail = YAML_FAILURES.test(row.schemaRaw);
      try {
        parseComposeYaml(readFileSync(path, 'utf8'), path);
        if (shouldFail) mismatches.push(`${row.path}: parsed, expected ${row.schemaRaw}`);
      } catch (err) {
        if (!(err instanceof TscError) || err.code !== 'COMPOSE_YAML') throw err;
        failed++;
        if (!shouldFail) mismatches.push(`${row.path}: ${err.message}`);
        expect(err.location?.file).toBe(path);
      }
    }
    expect(mismatches).toEqual([]);
    expect(failed).toBe(6);
  });

  it('finds the !reset and !override tags of the merge examples', () => {
    const read = (path: string) => parseComposeYaml(readFileSync(resolve(CORPUS_DIR, path), 'utf8'), path);
    expect(read('compose-spec/merge-reset/compose.override.yaml').resets).toEqual([
      ['services', 'app', 'ports'],
      ['services', 'app', 'environment', 'FOO'],
    ]);
    expect(read('compose-spec/merge-override/compose.override.yaml').overrides).toEqual([['services', 'app', 'ports']]);
  });
});
