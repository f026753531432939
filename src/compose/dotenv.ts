import { TscError } from '../errors/index.js';
import { defineKey } from './define-key.js';
import { interpolateString } from './template.js';
import type { Lookup, WarningSink } from './types.js';

/**
 * The `.env` / `--env-file` / `env_file:` parser, with Compose's rules:
 *
 * - `KEY=value`, `export KEY=value`, and `KEY: value`; spaces around the separator are ignored;
 * - `'single quoted'` is literal (only `\'` is unescaped); `"double quoted"` may span lines and
 *   understands `\n \r \t \\ \" \$ \a \b \f \v \0nnn`; both may be followed by a comment;
 * - an unquoted value runs to the end of the line; ` #` starts a comment; trailing spaces go;
 * - `${VAR}` forms are substituted in unquoted and double-quoted values, looking a name up first in
 *   `lookup` and then among the keys defined earlier in the same file;
 * - a bare `KEY` takes its value from `lookup` and is left out when `lookup` does not have it;
 * - a leading BOM is dropped; CRLF and a missing final newline are fine;
 * - keys that start with a digit are dropped.
 */
export interface DotenvOptions {
  onWarning?: WarningSink;
}

interface Cursor {
  src: string;
  pos: number;
  line: number;
}

const SPACE = /[\t\v\f\r \u0085\u00a0]/;
const BLANK = /\s/;
const KEY_CHAR = /[\p{L}\p{N}_.\-[\]]/u;
const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', '\\': '\\', $: '$$' };

export function parseDotenv(text: string, file: string, lookup: Lookup, options: DotenvOptions = {}): Record<string, string> {
  const cursor: Cursor = { src: text.startsWith('\ufeff') ? text.slice(1) : text, pos: 0, line: 1 };
  const vars = new Map<string, string>();
  const fail = (line: number, detail: string): TscError =>
    new TscError('COMPOSE_ENV_FILE', `invalid env file ${file}: line ${line}: ${detail}`, {
      hint: 'write one KEY=value per line; quote values that contain spaces or #',
      location: { file, line },
    });

  while (skipToStatement(cursor)) {
    const line = cursor.line;
    const { key, inherited } = readKey(cursor, fail);
    if (key.includes(' ')) throw fail(line, `key cannot contain a space: ${JSON.stringify(key)}`);
    if (inherited) {
      const value = lookup(key);
      if (value !== undefined) vars.set(key, value);
      continue;
    }
    const expand = (value: string): string => {
      try {
        const result = interpolateString(value, (name) => lookup(name) ?? vars.get(name));
        for (const name of result.unset) {
          options.onWarning?.({
            code: 'UNSET_VARIABLE',
            message: `The "${name}" variable is not set. Defaulting to a blank string.`,
            location: { file, line },
          });
        }
        return result.value;
      } catch (err) {
        if (err instanceof TscError) throw err.wrap(`invalid env file ${file}: line ${line}`, { location: { file, line } });
        throw err;
      }
    };
    vars.set(key, readValue(cursor, expand, () => fail(line, 'unterminated quoted value')));
  }

  const out: Record<string, string> = {};
  for (const [key, value] of vars) if (!/^\d/.test(key)) defineKey(out, key, value);
  return out;
}

/** Skips blank lines and comments; false at the end of the input. */
function skipToStatement(c: Cursor): boolean {
  for (;;) {
    while (c.pos < c.src.length && BLANK.test(c.src[c.pos] ?? '')) {
      if (c.src[c.pos] === '\n') c.line++;
      c.pos++;
    }
    if (c.pos >= c.src.length) return false;
    if (c.src[c.pos] !== '#') return true;
    const end = c.src.indexOf('\n', c.pos);
    if (end < 0) return false;
    c.pos = end;
  }
}

function readKey(c: Cursor, fail: (line: number, detail: string) => TscError): { key: string; inherited: boolean } {
  const exported = /^export[ \t]+/.exec(c.src.slice(c.pos, c.pos + 64));
  if (exported !== null) c.pos += exported[0].length;
  const start = c.pos;
  for (let i = start; i < c.src.length; i++) {
    const ch = c.src[i] ?? '';
    if (SPACE.test(ch)) continue;
    if (ch === '=' || ch === ':' || ch === '\n') {
      const key = c.src.slice(start, i).trimEnd();
      c.pos = i + 1;
      if (ch === '\n') {
        c.line++;
        return { key, inherited: true };
      }
      while (c.pos < c.src.length && SPACE.test(c.src[c.pos] ?? '')) c.pos++;
      return { key, inherited: false };
    }
    if (!KEY_CHAR.test(ch)) {
      const text = c.src.slice(start).split('\n')[0] ?? '';
      throw fail(c.line, `unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(text.trimEnd())}`);
    }
  }
  // A bare key on the last line, without a final newline.
  const key = c.src.slice(start).trimEnd();
  c.pos = c.src.length;
  return { key, inherited: true };
}

function readValue(c: Cursor, expand: (value: string) => string, unterminated: () => TscError): string {
  const quote = c.src[c.pos];
  if (quote !== '"' && quote !== "'") {
    let end = c.src.indexOf('\n', c.pos);
    if (end < 0) end = c.src.length;
    let value = c.src.slice(c.pos, end);
    const comment = value.indexOf(' #');
    if (comment >= 0) value = value.slice(0, comment);
    c.pos = end;
    return expand(value.trimEnd());
  }
  let raw = '';
  let escaped = false;
  for (let i = c.pos + 1; i < c.src.length; i++) {
    const ch = c.src[i] ?? '';
    if (ch === '\n') c.line++;
    if (escaped) {
      escaped = false;
      raw += ch === quote ? ch : `\\${ch}`;
    } else if (ch === '\\') {
      escaped = true;
    } else if (ch === quote) {
      c.pos = i + 1;
      return quote === "'" ? raw : expand(unescape(raw));
    } else {
      raw += ch;
    }
  }
  throw unterminated();
}

/** Backslash escapes of double-quoted values; unknown escapes are kept as written. */
function unescape(raw: string): string {
  return raw.replace(/\\([abfnrtv"\\$]|0[0-3][0-7]{2})/g, (match: string, code: string) => {
    if (code.startsWith('0')) return String.fromCharCode(parseInt(code.slice(1), 8));
    return ESCAPES[code] ?? match;
  });
}
