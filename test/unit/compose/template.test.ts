import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { ESCAPE_HINT, interpolateString } from '../../../src/compose/template.js';
import type { Lookup } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

const env = (vars: Record<string, string>): Lookup => (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const vars = env({ FOO: 'foo', EMPTY: '', BAR: 'bar' });
const sub = (template: string, lookup: Lookup = vars): string => interpolateString(template, lookup).value;


describe('interpolateString', () => {
  it('replaces $VAR and ${VAR}', () => {
    expect(sub('$FOO')).toBe('foo');
    expect(sub('${FOO}')).toBe('foo');
    expect(sub('a-$FOO-b')).toBe('a-foo-b');
    expect(sub('${FOO}${BAR}')).toBe('foobar');
    expect(sub('$FOO.$BAR')).toBe('foo.bar');
  });

  it('stops a bare name at the first character that cannot be in a name', () => {
    expect(sub('$FOO-x')).toBe('foo-x');
    expect(sub('$FOO_X', env({ FOO: 'no', FOO_X: 'yes' }))).toBe('yes');
  });

  it('leaves text without $ as it is', () => {
    expect(sub('plain text {with} braces')).toBe('plain text {with} braces');
  });

  it('turns $$ into a literal $ and does not substitute after it', () => {
    expect(sub('$$FOO')).toBe('$FOO');
    expect(sub('$${FOO}')).toBe('${FOO}');
    expect(sub('cost: 5$$')).toBe('cost: 5$');
    expect(sub('$$$FOO')).toBe('$foo');
  });

  it('gives "" for an unset variable and reports it once', () => {
    const result = interpolateString('$NOPE ${NOPE} $FOO ${ALSO}', vars);
    expect(result.value).toBe('  foo ');
    expect(result.unset).toEqual(['NOPE', 'ALSO']);
  });

  it('does not report a set-but-empty variable', () => {
    expect(interpolateString('${EMPTY}', vars)).toEqual({ value: '', unset: [] });
  });

  it(':- defaults when unset or empty, - only when unset', () => {
    expect(sub('${NOPE:-d}')).toBe('d');
    expect(sub('${EMPTY:-d}')).toBe('d');
    expect(sub('${FOO:-d}')).toBe('foo');
    expect(sub('${NOPE-d}')).toBe('d');
    expect(sub('${EMPTY-d}')).toBe('');
    expect(sub('${FOO-d}')).toBe('foo');
  });

  it('a default may be empty, contain spaces, colons and dashes', () => {
    expect(sub('${NOPE:-}')).toBe('');
    expect(sub('${NOPE:-a b:c-d}')).toBe('a b:c-d');
    expect(sub('${NOPE:-http://x:8080/}')).toBe('http://x:8080/');
  });

  it('a defaulted variable is not reported as unset', () => {
    expect(interpolateString('${NOPE:-x}${NOPE2-y}', vars).unset).toEqual([]);
  });

  it(':+ gives the alternative when set and not empty, + when set', () => {
    expect(sub('${FOO:+alt}')).toBe('alt');
    expect(sub('${EMPTY:+alt}')).toBe('');
    expect(sub('${NOPE:+alt}')).toBe('');
    expect(sub('${FOO+alt}')).toBe('alt');
    expect(sub('${EMPTY+alt}')).toBe('alt');
    expect(sub('${NOPE+alt}')).toBe('');
    expect(interpolateString('${NOPE:+alt}', vars).unset).toEqual([]);
  });

  it(':? requires a non-empty value, ? requires a set one', () => {
    expect(sub('${FOO:?must}')).toBe('foo');
    expect(sub('${EMPTY?must}')).toBe('');
    const unsetErr = errorOf(() => sub('${NOPE:?set NOPE please}'));
    expect(unsetErr.code).toBe('COMPOSE_INTERPOLATION');
    expect(unsetErr.message).toBe('required variable NOPE is missing a value: set NOPE please');
    expect(errorOf(() => sub('${EMPTY:?must}')).message).toBe('required variable EMPTY is missing a value: must');
    expect(errorOf(() => sub('${NOPE?gone}')).message).toBe('required variable NOPE is missing a value: gone');
  });

  it('a required variable without a message still names the variable', () => {
    const err = errorOf(() => sub('${NOPE:?}'));
    expect(err.message).toBe('required variable NOPE is missing a value');
    expect(err.hint).toContain('NOPE');
  });

  it('nests templates inside defaults, alternatives and messages', () => {
    expect(sub('${NOPE:-${FOO}}')).toBe('foo');
    expect(sub('${A:-${B:-x}}', env({}))).toBe('x');
    expect(sub('${A:-${B:-x}}', env({ B: 'b' }))).toBe('b');
    expect(sub('${A:-${B:-${C:-deep}}}', env({}))).toBe('deep');
    expect(sub('${FOO:+[${BAR}]}')).toBe('[bar]');
    expect(sub('${NOPE:-$FOO/$BAR}')).toBe('foo/bar');
    expect(errorOf(() => sub('${NOPE:?need ${FOO}}')).message).toBe('required variable NOPE is missing a value: need foo');
  });

  it('keeps text after a nested template', () => {
    expect(sub('${NOPE:-${FOO}-tail}/end')).toBe('foo-tail/end');
    expect(sub('x${NOPE:-a}y${BAR}z')).toBe('xaybarz');
  });

  it('evaluates a default even when it is not used, as Compose does', () => {
    expect(interpolateString('${FOO:-${NOPE}}', vars)).toEqual({ value: 'foo', unset: ['NOPE'] });
    expect(() => sub('${FOO:-${}}')).toThrow(TscError);
  });

  it('treats a plain { inside a default as text', () => {
    expect(sub('${NOPE:-{a}}')).toBe('{a}');
  });

  it('names may use lower case and underscores', () => {
    expect(sub('${_lower_9}', env({ _lower_9: 'ok' }))).toBe('ok');
  });

  it.each([
    ['${}'],
    ['${FOO'],
    ['${FOO:-x'],
    ['${1A}'],
    ['${FOO BAR}'],
    ['${FOO:x}'],
    ['${FOO/x}'],
  ])('rejects the invalid template %j', (template) => {
    const err = errorOf(() => sub(template));
    expect(err.code).toBe('COMPOSE_INTERPOLATION');
    expect(err.message).toBe(`invalid interpolation format: ${JSON.stringify(template)}`);
    expect(err.hint).toBe(ESCAPE_HINT);
    expect(err.hint).toContain('escape any $ with another $');
  });

  it.each([
    ['$', '$'],
    ['price $', 'price $'],
    ['$1', '$1'],
    ['$ {FOO}', '$ {FOO}'],
    ['echo $(seq 10)', 'echo $(seq 10)'],
  ])('keeps a $ that starts no expression literal: %j', (template, expected) => {
    expect(sub(template)).toBe(expected);
  });

  it('asks the lookup only for the names it needs', () => {
    const asked: string[] = [];
    const lookup: Lookup = (name) => {
      asked.push(name);
      return name === 'X' ? 'x' : undefined;
    };
    expect(interpolateString('$X-${Y:-d}-$$Z', lookup).value).toBe('x-d-$Z');
    expect(asked).toEqual(['X', 'Y']);
  });
});
