// The three ways the emitter writes a string that cannot be plain. Each takes the indent of the
// lines that continue it; `isKey` marks an implicit key, which must stay on one line.

/** Lines starting a directive or a document marker, which need the text indented under them. */
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;

/** Escapes YAML writes in short form rather than as JSON's `\u00XX`. */
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '0000': '\\0', '0007': '\\a', '000b': '\\v', '001b': '\\e', '0085': '\\N', '00a0': '\\_', '2028': '\\L', '2029': '\\P',
};

/** Strings of at least this many characters (JSON-quoted) write their line breaks as real lines. */
const MIN_MULTI_LINE_LENGTH = 40;

/**
 * A double-quoted scalar: JSON's escapes, with YAML's short forms. A long string written as a
 * value breaks its lines for real, folding them: a line break becomes an empty line, and a space
 * next to a line break is escaped so folding keeps it.
 */
export function doubleQuoted(value: string, indent: string, isKey: boolean): string {
  const json = JSON.stringify(value);
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  const foldLines = !isKey && json.length >= MIN_MULTI_LINE_LENGTH;
  let out = '';
  let start = 0;
  for (let i = 0; i < json.length; i++) {
    let ch = json[i];
    if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
      // A space before a line break: escaped, or folding would drop it.
      out += `${json.slice(start, i)}\\ `;
      i += 1;
      start = i;
      ch = '\\';
    }
    if (ch !== '\\') continue;
    const next = json[i + 1];
    if (next === 'u') {
      out += json.slice(start, i);
      const code = json.slice(i + 2, i + 6);
      out += SHORT_ESCAPES[code] ?? (code.startsWith('00') ? `\\x${code.slice(2)}` : json.slice(i, i + 6));
      i += 5;
      start = i + 1;
    } else if (next === 'n' && foldLines && json[i + 2] !== '"') {
      // Folding eats one line break, so each `\n` becomes one more empty line.
      out += `${json.slice(start, i)}\n\n`;
      while (json[i + 2] === '\\' && json[i + 3] === 'n' && json[i + 4] !== '"') {
        out += '\n';
        i += 2;
      }
      out += lineIndent;
      // A space after a line break: escaped, or folding would drop it.
      if (json[i + 2] === ' ') out += '\\';
      i += 1;
      start = i + 1;
    } else {
      i += 1;
    }
  }
  return start > 0 ? out + json.slice(start) : json;
}

/** A single-quoted scalar (`'` doubled); double quotes when line breaks sit next to blanks. */
export function singleQuoted(value: string, indent: string, isKey: boolean): string {
  if ((isKey && value.includes('\n')) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuoted(value, indent, isKey);
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${lineIndent}`)}'`;
}

/**
 * A literal block scalar (`|`), for a multi-line value. Its header says how trailing line breaks
 * are kept (`-` none, nothing for one, `+` all) and, when the text starts with a space, the
 * indentation of its lines.
 */
export function blockLiteral(value: string, indent: string): string {
  const lineIndent = indent || (DOCUMENT_MARKER.test(value) ? '  ' : '');
  let endStart = value.length;
  while (endStart > 0 && ' \t\n'.includes(value[endStart - 1] as string)) endStart--;
  let end = value.slice(endStart);
  const endBreak = end.indexOf('\n');
  const chomp = endBreak === -1 ? '-' : value === end || endBreak !== end.length - 1 ? '+' : '';
  let body = value;
  if (end !== '') {
    body = value.slice(0, -end.length);
    if (end.endsWith('\n')) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${lineIndent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let lastBreak = -1;
  for (; startEnd < body.length; startEnd++) {
    const ch = body[startEnd];
    if (ch === ' ') startWithSpace = true;
    else if (ch === '\n') lastBreak = startEnd;
    else break;
  }
  let start = body.slice(0, lastBreak < startEnd ? lastBreak + 1 : startEnd);
  if (start !== '') {
    body = body.slice(start.length);
    start = start.replace(/\n+/g, `$&${lineIndent}`);
  }
  const header = (startWithSpace ? (lineIndent === '' ? '1' : '2') : '') + chomp;
  return `|${header}\n${lineIndent}${start}${body.replace(/\n+/g, `$&${lineIndent}`)}${end}`;
}
