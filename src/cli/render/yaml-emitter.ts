import { blockLiteral, doubleQuoted, singleQuoted } from './yaml-string-styles.js';

/**
 * YAML text for plain JSON-like data (objects, arrays, strings, numbers, booleans, null), as
 * `docker compose config` prints it: block style with a 2-space indent, sequences indented under
 * their key, `[]` and `{}` for empty collections, `null` for nulls, strings plain unless YAML needs
 * quotes (double quotes, or single quotes when the string holds a double quote), multi-line strings
 * as literal blocks. Keys whose value is `undefined` are left out. Its choices are those of the
 * `yaml` package's `stringify` with `{ indent: 2, lineWidth: 0, nullStr: 'null' }`, which it
 * replaces on the `config` path because it is several times faster for this one shape of data.
 */
export function emitYaml(value: unknown): string {
  return `${emitNode(value, '')}\n`;
}

const STEP = '  ';

/** `value` at a place whose continuation lines are indented by `indent`. */
function emitNode(value: unknown, indent: string): string {
  if (Array.isArray(value)) return emitSequence(value, indent);
  if (value !== null && typeof value === 'object') return emitMapping(value as Record<string, unknown>, indent);
  return emitScalar(value, indent, false);
}

function emitSequence(items: readonly unknown[], indent: string): string {
  if (items.length === 0) return '[]';
  const itemIndent = indent + STEP;
  let out = '';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += `\n${indent}`;
    out += `- ${emitNode(items[i], itemIndent)}`;
  }
  return out;
}

function emitMapping(map: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const key of Object.keys(map)) {
    const value = map[key];
    if (value === undefined) continue;
    if (out !== '') out += `\n${indent}`;
    out += emitPair(key, value, indent);
  }
  return out === '' ? '{}' : out;
}

function emitPair(key: string, value: unknown, indent: string): string {
  const inner = indent + STEP;
  const keyText = emitString(key, inner, true);
  const valueText = emitNode(value, inner);
  // A key longer than YAML allows for an implicit key is written as an explicit `? key`.
  if (keyText.length > 1024) return `? ${keyText}\n${indent}: ${valueText}`;
  const nested = value !== null && typeof value === 'object' && valueText !== '[]' && valueText !== '{}';
  return nested ? `${keyText}:\n${inner}${valueText}` : `${keyText}: ${valueText}`;
}

function emitScalar(value: unknown, indent: string, isKey: boolean): string {
  switch (typeof value) {
    case 'string': return emitString(value, indent, isKey);
    case 'number': return emitNumber(value);
    case 'boolean': return value ? 'true' : 'false';
    case 'bigint': return String(value);
    default: return value === null || value === undefined ? 'null' : emitString(String(value), indent, isKey);
  }
}

function emitNumber(value: number): string {
  if (Number.isNaN(value)) return '.nan';
  if (!Number.isFinite(value)) return value < 0 ? '-.inf' : '.inf';
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

// Control characters and lone surrogates can only be written escaped.
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// What a plain scalar cannot be: an indicator first, `- ` or `? ` first, `: ` or ` #` inside,
// white space around a line break, or white space or `:` last.
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
// A line that would read as a directive or a document marker.
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
// Plain text that the YAML 1.2 core schema reads as something other than a string.
const CORE_NON_STRING = [
  /^(?:~|[Nn]ull|NULL)?$/,
  /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
  /^0o[0-7]+$/,
  /^[-+]?[0-9]+$/,
  /^0x[0-9a-fA-F]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
  /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
];

// Most strings: a letter, `_` or `/` first, then nothing YAML gives a meaning to.
const SIMPLE = /^[A-Za-z_/](?:[\w./=@-]|:(?!$))*$/;

function emitString(value: string, indent: string, isKey: boolean): string {
  if (SIMPLE.test(value)) return looksLikeNonString(value) ? quoted(value, indent, isKey) : value;
  if (NEEDS_ESCAPES.test(value)) return doubleQuoted(value, indent, isKey);
  const multiLine = value.includes('\n');
  if (isKey && multiLine) return quoted(value, indent, isKey);
  if (NOT_PLAIN.test(value)) return isKey || !multiLine ? quoted(value, indent, isKey) : blockOrQuoted(value, indent, isKey);
  if (!isKey && multiLine) return blockOrQuoted(value, indent, isKey);
  // A document marker is harmless in a nested value, but not where a top-level key starts a line.
  if (isKey && indent === STEP && DOCUMENT_MARKER.test(value)) return quoted(value, indent, isKey);
  if (looksLikeNonString(value)) return quoted(value, indent, isKey);
  return value;
}

function looksLikeNonString(text: string): boolean {
  const first = text.charCodeAt(0);
  // Fast exit: every non-string form starts with one of `~ n N t T f F 0-9 + - .`, or is empty.
  if (text !== '' && !(first === 0x7e || first === 0x2b || first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39) || 'nNtTfF'.includes(text[0] as string))) return false;
  return CORE_NON_STRING.some((re) => re.test(text));
}

/** Double quotes, or single quotes for a string that holds `"` but no `'`. */
function quoted(value: string, indent: string, isKey: boolean): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuoted(value, indent, isKey) : doubleQuoted(value, indent, isKey);
}

/** A literal block, unless the string ends in a line of blanks, which only quotes keep. */
function blockOrQuoted(value: string, indent: string, isKey: boolean): string {
  return /\n[\t ]+$/.test(value) ? quoted(value, indent, isKey) : blockLiteral(value, indent);
}
