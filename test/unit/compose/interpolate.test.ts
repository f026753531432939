import { describe, expect, it } from 'vitest';
import { interpolate, interpolateString } from '../../../src/compose/interpolate.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';
import type { Lookup, Warning } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

const env = (vars: Record<string, string>): Lookup => (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const FILE = '/p/compose.yaml';

function load(yaml: string, vars: Record<string, string> = {}) {
  const parsed = parseComposeYaml(yaml, FILE);
  const warnings: Warning[] = [];
  const data = interpolate(parsed.data, env(vars), { file: FILE, positions: parsed.positions, onWarning: (w) => warnings.push(w) });
  return { data, warnings, parsed };
}


describe('interpolate', () => {
  it('substitutes string values through mappings and sequences', () => {
    const { data } = load(
      `services:
  web:
    image: "\${IMAGE}:\${TAG:-latest}"
    command: ["echo", "$GREETING"]
    environment:
      A: \${A}
      NESTED: \${MISSING:-\${A}}
`,
      { IMAGE: 'nginx', GREETING: 'hi', A: 'a' },
    );
    expect(data).toEqual({
      services: { web: { image: 'nginx:latest', command: ['echo', 'hi'], environment: { A: 'a', NESTED: 'a' } } },
    });
  });

  it('never substitutes keys', () => {
    const { data } = load('x-$KEY:\n  ${KEY}: $KEY\n', { KEY: 'k' });
    expect(data).toEqual({ 'x-$KEY': { '${KEY}': 'k' } });
  });

  it('keeps numbers, booleans and nulls as they are', () => {
    const { data } = load('services:\n  web:\n    scale: 2\n    init: true\n    user: null\n    ports: ["8080:80", 9000]\n');
    expect(data).toEqual({ services: { web: { scale: 2, init: true, user: null, ports: ['8080:80', 9000] } } });
  });

  it('turns $$ into $', () => {
    expect(load("services:\n  web:\n    command: echo $$HOME '$${X}'\n").data).toEqual({
      services: { web: { command: "echo $HOME '${X}'" } },
    });
  });

  it('returns a new tree and leaves its input alone', () => {
    const { data, parsed } = load('a:\n  b: [$X]\n', { X: 'x' });
    expect(data).toEqual({ a: { b: ['x'] } });
    expect(parsed.data).toEqual({ a: { b: ['$X'] } });
    expect(data.a).not.toBe(parsed.data.a);
  });

  it('warns once per unset variable, with the location of its first use', () => {
    const { data, warnings } = load('services:\n  web:\n    image: $NOPE\n    command: [$NOPE, "${OTHER}"]\n');
    expect(data).toEqual({ services: { web: { image: '', command: ['', ''] } } });
    expect(warnings).toEqual([
      {
        code: 'UNSET_VARIABLE',
        message: 'The "NOPE" variable is not set. Defaulting to a blank string.',
        location: { file: FILE, line: 3, column: 5 },
      },
      {
        code: 'UNSET_VARIABLE',
        message: 'The "OTHER" variable is not set. Defaulting to a blank string.',
        location: { file: FILE, line: 4, column: 22 },
      },
    ]);
  });

  it('does not warn about defaulted or empty variables', () => {
    const { warnings } = load('a: ${NOPE:-x}\nb: ${EMPTY}\nc: ${NOPE:+y}\n', { EMPTY: '' });
    expect(warnings).toEqual([]);
  });

  it('reports a missing required variable with its path and location', () => {
    const err = errorOf(() => load('services:\n  web:\n    image: nginx\n    environment:\n      - DB=${DB:?set DB first}\n'));
    expect(err.code).toBe('COMPOSE_INTERPOLATION');
    expect(err.message).toBe('required variable DB is missing a value: set DB first');
    expect(err.path).toBe('services.web.environment[0]');
    expect(err.location).toEqual({ file: FILE, line: 5, column: 9 });
  });

  it('reports an invalid expression with the escape hint, path and location', () => {
    const err = errorOf(() => load('services:\n  web:\n    command: echo ${\n'));
    expect(err.code).toBe('COMPOSE_INTERPOLATION');
    expect(err.hint).toBe('you may need to escape any $ with another $');
    expect(err.path).toBe('services.web.command');
    expect(err.location).toEqual({ file: FILE, line: 3, column: 5 });
    expect(err.format()).toContain('/p/compose.yaml:3:5:');
  });

  it('reports ${FOO without a closing brace', () => {
    const err = errorOf(() => load('name: ${FOO\n'));
    expect(err.message).toContain('"${FOO"');
    expect(err.path).toBe('name');
  });

  it('works without positions, pointing at the file', () => {
    const err = errorOf(() => interpolate({ a: ['${'] }, env({}), { file: FILE }));
    expect(err.location).toEqual({ file: FILE });
    expect(err.path).toBe('a[0]');
  });

  it('keeps keys such as __proto__ as plain data', () => {
    const data = interpolate(JSON.parse('{"__proto__": {"x": "$X"}}') as Record<string, unknown>, env({ X: '1' }), { file: FILE });
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(data['__proto__']).toEqual({ x: '1' });
  });

  it('shares its substitution with interpolateString', () => {
    expect(interpolateString('${A:-${B}}', env({ B: 'b' })).value).toBe('b');
  });
});
