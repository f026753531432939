import { describe, expect, it } from 'vitest';
import { splitShellWords } from '../../../../src/compose/canonical/shell-words.js';
import { canonicalService, thrownBy } from './helpers.js';

const service = (attr: string, value: string): unknown =>
  canonicalService(`services:\n  web:\n    image: x\n    ${attr}: ${value}\n`)[attr];

describe('canonical command and entrypoint', () => {
  it('splits a string into words with shell quoting', () => {
    expect(service('command', `bundle exec thin -p 3000`)).toEqual(['bundle', 'exec', 'thin', '-p', '3000']);
    expect(service('command', `sh -c 'echo "hello $$HOSTNAME"'`)).toEqual(['sh', '-c', 'echo "hello $$HOSTNAME"']);
    expect(service('entrypoint', `["/bin/sh", "-c"]`)).toEqual(['/bin/sh', '-c']);
  });

  it('makes an empty string the empty list and keeps null', () => {
    expect(service('command', `""`)).toEqual([]);
    expect(service('entrypoint', 'null')).toBeNull();
  });

  it('rejects an unclosed quote with the path and a hint', () => {
    const err = thrownBy(() => service('command', `"echo 'oops"`));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.command');
    expect(err.message).toContain('quote is not closed');
    expect(err.hint).toContain('list');
  });
});

describe('splitShellWords', () => {
  it.each([
    ['a  b\tc\nd', ['a', 'b', 'c', 'd']],
    [`'a b' "c d" e\\ f`, ['a b', 'c d', 'e f']],
    [`"a\\"b" "\\$x" "\\n"`, ['a"b', '$x', '\\n']],
    [`'\\'`, ['\\']],
    [`"" ''`, ['', '']],
    ['x"y"z', ['xyz']],
    ['--label=Label(a, b) && next | more', ['--label=Label(a,', 'b)', '&&', 'next', '|', 'more']],
    ['a \\\n b', ['a', 'b']],
  ])('splits %j', (line, words) => {
    expect(splitShellWords(line)).toEqual({ words });
  });

  it('reports a trailing backslash and unclosed quotes', () => {
    expect(splitShellWords('a\\')).toEqual({ error: 'a backslash ends the line' });
    expect(splitShellWords(`'a`)).toEqual({ error: 'the single quote is not closed' });
    expect(splitShellWords(`"a`)).toEqual({ error: 'the double quote is not closed' });
  });
});
