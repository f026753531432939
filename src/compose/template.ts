import { TscError } from '../errors/index.js';
import type { Lookup } from './types.js';

/**
 * Variable substitution as Compose does it, shared by the interpolation stage and the dotenv parser.
 *
 * `$$` is a literal `$`; `$NAME` and `${NAME}` are replaced by the variable's value; inside braces the
 * name may be followed by an operator and an argument: `:-` / `-` (default when unset or empty / when
 * unset), `:?` / `?` (error when unset or empty / when unset), `:+` / `+` (alternative when set and
 * not empty / when set). Arguments are templates themselves, so `${A:-${B:-x}}` nests. A `${` that
 * does not hold a valid expression (`${}`, `${1}`, an unclosed `${`) makes the whole value invalid;
 * any other `$` (`$(cmd)`, `$1`, a final `$`) is literal, as in compose-go.
 */
export interface Substitution {
  value: string;
  /** Variables that were read while unset and had no default, in order of first use. */
  unset: string[];
}

export const ESCAPE_HINT = 'you may need to escape any $ with another $';

const NAME_START = /[_a-zA-Z]/;
const NAME_PART = /[_a-zA-Z0-9]/;
const BRACED = /^([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[-+?])([\s\S]*))?$/;

type Operator = ':-' | '-' | ':?' | '?' | ':+' | '+';

/**
 * Substitute every variable in `value`. Throws `COMPOSE_INTERPOLATION` for an invalid template or a
 * required variable without a value; the caller adds the path and location.
 */
export function interpolateString(value: string, lookup: Lookup): Substitution {
  const unset: string[] = [];
  const result = substitute(value, lookup, unset);
  return { value: result, unset };
}

function substitute(template: string, lookup: Lookup, unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, dollar);
    const next = template[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next !== undefined && NAME_START.test(next)) {
      let end = dollar + 2;
      while (end < template.length && NAME_PART.test(template[end] ?? '')) end++;
      out += plain(template.slice(dollar + 1, end), lookup, unset);
      i = end;
    } else if (next === '{') {
      const close = closingBrace(template, dollar);
      if (close < 0) throw invalidTemplate(template);
      out += braced(template.slice(dollar + 2, close), template, lookup, unset);
      i = close + 1;
    } else {
      // A `$` that starts neither a name, a brace nor an escape is literal (`$(cmd)`, `$1`, a final `$`).
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/** Index of the `}` that closes the `${` at `start`; only `${` opens a nested level. */
function closingBrace(template: string, start: number): number {
  let depth = 0;
  for (let i = start; i < template.length; i++) {
    if (template[i] === '}') {
      depth--;
      if (depth === 0) return i;
    } else if (template[i] === '$' && template[i + 1] === '{') {
      depth++;
      i++;
    }
  }
  return -1;
}

function plain(name: string, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  if (value === undefined) {
    if (!unset.includes(name)) unset.push(name);
    return '';
  }
  return value;
}

function braced(body: string, template: string, lookup: Lookup, unset: string[]): string {
  const match = BRACED.exec(body);
  if (match === null) throw invalidTemplate(template);
  const name = match[1] ?? '';
  const operator = match[2] as Operator | undefined;
  if (operator === undefined) return plain(name, lookup, unset);
  // Compose evaluates the argument whether or not it is used, so its own errors and unset
  // variables always surface.
  const argument = substitute(match[3] ?? '', lookup, unset);
  const value = lookup(name);
  const empty = value === undefined || value === '';
  switch (operator) {
    case ':-':
      return empty ? argument : value;
    case '-':
      return value ?? argument;
    case ':?':
      if (empty) throw missingRequired(name, argument);
      return value;
    case '?':
      if (value === undefined) throw missingRequired(name, argument);
      return value;
    case ':+':
      return empty ? (value ?? '') : argument;
    case '+':
      return value === undefined ? '' : argument;
  }
}

function invalidTemplate(template: string): TscError {
  return new TscError('COMPOSE_INTERPOLATION', `invalid interpolation format: ${JSON.stringify(template)}`, {
    hint: ESCAPE_HINT,
  });
}

function missingRequired(name: string, reason: string): TscError {
  const message = reason === ''
    ? `required variable ${name} is missing a value`
    : `required variable ${name} is missing a value: ${reason}`;
  return new TscError('COMPOSE_INTERPOLATION', message, {
    hint: `set ${name} in the environment or in the .env file`,
  });
}
