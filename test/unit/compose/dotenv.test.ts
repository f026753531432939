import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../../src/compose/dotenv.js';
import type { Lookup, Warning } from '../../../src/compose/types.js';
import { CORPUS_DIR, corpusRows } from '../../support/corpus.js';
import { failure as errorOf } from '../../support/compose.js';

const env = (vars: Record<string, string>): Lookup => (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const none = env({});
const FILE = '/p/.env';
const parse = (text: string, lookup: Lookup = none): Record<string, string> => parseDotenv(text, FILE, lookup);


describe('parseDotenv', () => {
  it('reads KEY=value lines, with or without export', () => {
    expect(parse('A=1\nexport B=2\nexport   C=3\n')).toEqual({ A: '1', B: '2', C: '3' });
  });

  it('ignores spaces around = and trailing spaces of unquoted values', () => {
    expect(parse('A = 1\nB= two words   \nC =3\n')).toEqual({ A: '1', B: 'two words', C: '3' });
  });

  it('accepts KEY: value', () => {
    expect(parse('A: 1\nB:2\n')).toEqual({ A: '1', B: '2' });
  });

  it('keeps = and : inside values', () => {
    expect(parse('URL=postgres://u:p@h:5432/db?ssl=on\n')).toEqual({ URL: 'postgres://u:p@h:5432/db?ssl=on' });
  });

  it('gives "" for KEY= and for KEY="" and KEY=\'\'', () => {
    expect(parse('A=\nB=""\nC=\'\'\nD= \n')).toEqual({ A: '', B: '', C: '', D: '' });
  });

  it('skips comments and blank lines', () => {
    expect(parse('# comment\n\n   # indented comment\nA=1\n\n')).toEqual({ A: '1' });
  });

  it('cuts an inline comment of an unquoted value at " #"', () => {
    expect(parse('A=value # comment\nB=no#comment\nC=#start\n')).toEqual({ A: 'value', B: 'no#comment', C: '#start' });
  });

  it('allows a comment after a quoted value', () => {
    expect(parse('A="x # y" # comment\nB=\'p\' # c\n')).toEqual({ A: 'x # y', B: 'p' });
  });

  it('keeps single-quoted values literal, except \\\'', () => {
    expect(parse("A='\\n $B ${B}'\nB='it\\'s'\n", env({ B: 'no' }))).toEqual({ A: '\\n $B ${B}', B: "it's" });
  });

  it('expands escapes in double-quoted values', () => {
    expect(parse('A="a\\nb\\tc\\\\d\\"e"\n')).toEqual({ A: 'a\nb\tc\\d"e' });
    expect(parse('A="\\r\\v\\f\\a\\b"\n')).toEqual({ A: '\r\v\f\x07\b' });
    expect(parse('A="\\0101\\0102"\n')).toEqual({ A: 'AB' });
  });

  it('keeps unknown escapes as written', () => {
    expect(parse('A="\\x41 \\q \\c"\n')).toEqual({ A: '\\x41 \\q \\c' });
  });

  it('reads multi-line quoted values', () => {
    expect(parse('A="line 1\nline 2"\nB=\'x\ny\'\nC=3\n')).toEqual({ A: 'line 1\nline 2', B: 'x\ny', C: '3' });
  });

  it('drops a leading BOM', () => {
    expect(parse('\ufeffA=1\n')).toEqual({ A: '1' });
  });

  it('handles CRLF line ends', () => {
    expect(parse('A=1\r\nB = two \r\n# c\r\nC="3"\r\n')).toEqual({ A: '1', B: 'two', C: '3' });
  });

  it('handles a missing final newline', () => {
    expect(parse('A=1\nB=2')).toEqual({ A: '1', B: '2' });
    expect(parse('A="q"')).toEqual({ A: 'q' });
  });

  it('lets a later line win over an earlier one', () => {
    expect(parse('A=1\nA=2\n')).toEqual({ A: '2' });
  });

  it('takes a bare KEY from the lookup, and leaves it out when unset', () => {
    expect(parse('FROM_OS\nMISSING\nX=1\n', env({ FROM_OS: 'os' }))).toEqual({ FROM_OS: 'os', X: '1' });
    expect(parse('LAST', env({ LAST: 'v' }))).toEqual({ LAST: 'v' });
  });

  it('allows dots, dashes and brackets in keys', () => {
    expect(parse('a.b=1\nc-d=2\ne[0]=3\n')).toEqual({ 'a.b': '1', 'c-d': '2', 'e[0]': '3' });
  });

  it('drops keys that start with a digit', () => {
    expect(parse('1A=x\nB=y\n')).toEqual({ B: 'y' });
  });

  it('keeps __proto__ as a plain key', () => {
    const out = parse('__proto__=x\n');
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  describe('interpolation', () => {
    it('substitutes in unquoted and double-quoted values, not single-quoted ones', () => {
      expect(parse('A=1\nB=$A\nC="${A}-x"\nD=\'$A\'\n')).toEqual({ A: '1', B: '1', C: '1-x', D: '$A' });
    });

    it('looks a name up in the lookup before the keys of the file', () => {
      expect(parse('A=file\nB=${A}\n', env({ A: 'os' }))).toEqual({ A: 'file', B: 'os' });
    });

    it('supports every operator', () => {
      const out = parse('SET=v\nEMPTY=\nA=${NOPE:-d}\nB=${EMPTY-d}\nC=${SET:+alt}\nD=${NOPE+alt}\nE=${SET:?x}\nF=${A:-${B:-z}}\n');
      expect(out).toMatchObject({ A: 'd', B: '', C: 'alt', D: '', E: 'v', F: 'd' });
    });

    it('turns \\$ and $$ into a literal $', () => {
      expect(parse('A="\\$HOME"\nB=$$HOME\nC="$${X}"\n')).toEqual({ A: '$HOME', B: '$HOME', C: '${X}' });
    });

    it('warns about unset variables', () => {
      const warnings: Warning[] = [];
      const out = parseDotenv('A=1\nB=${NOPE}\n', FILE, none, { onWarning: (w) => warnings.push(w) });
      expect(out).toEqual({ A: '1', B: '' });
      expect(warnings).toEqual([
        { code: 'UNSET_VARIABLE', message: 'The "NOPE" variable is not set. Defaulting to a blank string.', location: { file: FILE, line: 2 } },
      ]);
    });

    it('fails on a missing required variable, naming file and line', () => {
      const err = errorOf(() => parse('A=1\n\nB=${NEED:?set it}\n'));
      expect(err.code).toBe('COMPOSE_INTERPOLATION');
      expect(err.message).toBe('invalid env file /p/.env: line 3: required variable NEED is missing a value: set it');
      expect(err.location).toEqual({ file: FILE, line: 3 });
    });

    it('fails on an invalid template', () => {
      const err = errorOf(() => parse('A="${"\n'));
      expect(err.code).toBe('COMPOSE_INTERPOLATION');
      expect(err.hint).toContain('escape any $');
    });
  });

  describe('errors', () => {
    it('rejects a key with a space, naming file and line', () => {
      const err = errorOf(() => parse('# c\nA=1\nINVALID LINE\n'));
      expect(err.code).toBe('COMPOSE_ENV_FILE');
      expect(err.message).toBe('invalid env file /p/.env: line 3: key cannot contain a space: "INVALID LINE"');
      expect(err.location).toEqual({ file: FILE, line: 3 });
      expect(err.hint).toBeDefined();
    });

    it('rejects a character that cannot be in a key', () => {
      const err = errorOf(() => parse('A=1\nB$=2\n'));
      expect(err.code).toBe('COMPOSE_ENV_FILE');
      expect(err.message).toContain('line 2: unexpected character "$" in variable name "B$=2"');
    });

    it('rejects an unterminated quoted value at the line it starts on', () => {
      const err = errorOf(() => parse('A=1\nB="open\nC=3\n'));
      expect(err.code).toBe('COMPOSE_ENV_FILE');
      expect(err.message).toBe('invalid env file /p/.env: line 2: unterminated quoted value');
      expect(err.location?.line).toBe(2);
    });

    it('counts lines inside multi-line values', () => {
      const err = errorOf(() => parse('A="1\n2\n3"\nB C=1\n'));
      expect(err.location?.line).toBe(4);
    });
  });
});

describe('parseDotenv on the compose-go dotenv fixtures of the corpus', () => {
  const rows = corpusRows().filter((row) => row.role === 'dotenv');
  const read = (path: string): string => readFileSync(resolve(CORPUS_DIR, path), 'utf8');
  const parseFixture = (path: string, lookup: Lookup = none): Record<string, string> =>
    parseDotenv(read(path), resolve(CORPUS_DIR, path), lookup);

  const PLAIN = { OPTION_A: '1', OPTION_B: '2', OPTION_C: '3', OPTION_D: '4', OPTION_E: '5', OPTION_F: '', OPTION_G: '', OPTION_H: 'my string' };

  /** What each fixture must give; the expectations are those of the manifest's notes. */
  const cases: Record<string, (path: string) => void> = {
    'custom.format': (path) => expect(parseFixture(path)).toEqual({ FOO: 'BAR', ZOT: 'QIX' }),
    'equals.env': (path) => expect(parseFixture(path)).toEqual({ OPTION_A: 'postgres://localhost:5432/database?sslmode=disable' }),
    'exported.env': (path) => expect(parseFixture(path)).toEqual({ OPTION_A: '2', OPTION_B: '\\n' }),
    'inherited-multi-var.env': (path) => {
      expect(parseFixture(path, env({ VAR_TO_BE_LOADED_FROM_OS_ENV: 'from-os' }))).toEqual({ VAR_TO_BE_LOADED_FROM_OS_ENV: 'from-os', foo: 'bar', bar: 'baz' });
      expect(parseFixture(path)).toEqual({ foo: 'bar', bar: 'baz' });
    },
    'inherited-not-found.env': (path) => expect(parseFixture(path)).toEqual({}),
    'inherited-single-var.env': (path) => {
      expect(parseFixture(path, env({ VAR_TO_BE_LOADED_FROM_OS_ENV: 'v' }))).toEqual({ VAR_TO_BE_LOADED_FROM_OS_ENV: 'v' });
      expect(parseFixture(path)).toEqual({});
    },
    'invalid1.env': (path) => {
      const err = errorOf(() => parseFixture(path));
      expect(err.code).toBe('COMPOSE_ENV_FILE');
      expect(err.message).toContain('line 7: key cannot contain a space');
      expect(err.location).toEqual({ file: resolve(CORPUS_DIR, path), line: 7 });
    },
    'plain.env': (path) => {
      const out = parseFixture(path);
      expect(out).toEqual(PLAIN);
      expect(Object.keys(out)).toHaveLength(8);
    },
    'quoted.env': (path) =>
      expect(parseFixture(path)).toEqual({
        OPTION_A: '1', OPTION_B: '2', OPTION_C: '', OPTION_D: '\\n', OPTION_E: '1', OPTION_F: '2', OPTION_G: '',
        OPTION_H: '\n', OPTION_I: "echo 'asd'", OPTION_J: 'first line\nsecond line\nthird line\nand so on',
        OPTION_K: "Let's go!", OPTION_Z: 'last value',
      }),
    'special.env': (path) => expect(parseFixture(path)).toEqual({ 'VAR.WITH.DOTS': 'dots', VAR_WITH_UNDERSCORES: 'underscores', 'VAR-WITH-DASHES': 'dashes' }),
    'substitutions-default.env': (path) => {
      expect(parseFixture(path)).toEqual({ OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' });
      expect(parseFixture(path, env({ OPTION_A: '5' }))).toEqual({ OPTION_A: '5', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' });
    },
    'substitutions.env': (path) => {
      expect(parseFixture(path)).toEqual({ OPTION_A: '1', OPTION_B: '1', OPTION_C: '1', OPTION_D: '1_1', OPTION_E: '' });
      expect(parseFixture(path, env({ OPTION_A: '5' }))).toEqual({ OPTION_A: '1', OPTION_B: '5', OPTION_C: '5', OPTION_D: '5_5', OPTION_E: '' });
    },
    'unquoted.env': (path) =>
      expect(parseFixture(path)).toEqual({
        OPTION_A: 'some quoted phrase',
        OPTION_B: 'first one with an unquoted phrase',
        OPTION_C: 'then another one with an unquoted phrase',
        OPTION_D: 'then another one with an unquoted phrase special è char',
        OPTION_E: 'then another one quoted phrase',
      }),
    'utf8-bom.env': (path) => {
      expect(read(path).startsWith('\ufeff')).toBe(true);
      expect(parseFixture(path)).toEqual(PLAIN);
    },
  };

  it('has a case for every dotenv row of the manifest', () => {
    expect(rows.length).toBeGreaterThanOrEqual(14);
    expect(rows.map((row) => basename(row.path)).sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(rows.map((row) => [basename(row.path), row] as const))('%s', (name, row) => {
    cases[name]?.(row.path);
  });

  it('agrees with the JSON the notes give for an empty environment', () => {
    let compared = 0;
    for (const row of rows) {
      const json = firstJsonObject(row.notes.slice(row.notes.indexOf('expected parse:')));
      if (json === undefined || row.expected !== 'valid') continue;
      expect(parseFixture(row.path), row.path).toEqual(json);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });
});

/** The first `{...}` in `text` that is valid JSON, if any. */
function firstJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
