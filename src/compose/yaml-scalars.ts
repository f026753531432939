// Scalar values as YAML 1.2 reads them: plain scalars typed by the core schema, quoted scalars
// unescaped and folded, block scalars with their line breaks. These follow the YAML spec and the
// `yaml` package's reading of it, which is the reference (see yaml-fast.test.ts). One exception, as
// compose-go's YAML reader (yaml.v3) makes it: an integer written with a leading zero (`0440`) is octal.

/**
 * A plain scalar typed as the YAML 1.2 core schema types it: null, boolean, number, or string; with
 * `0755` read as octal (YAML 1.1's form, which compose files use for file modes).
 */
export function typePlain(text: string): unknown {
  const first = text.charCodeAt(0);
  // Every non-string form starts with one of `~ n N t T f F 0-9 + - .`, or is empty.
  if (text !== '' && !(first === 0x7e || first === 0x2b || first === 0x2d || first === 0x2e || (first >= 0x30 && first <= 0x39) || 'nNtTfF'.includes(text[0] as string))) return text;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(text)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(text)) return first === 0x74 || first === 0x54;
  if (/^0o[0-7]+$/.test(text)) return parseInt(text.slice(2), 8);
  if (LEGACY_OCTAL.test(text)) return legacyOctal(text);
  if (/^[-+]?[0-9]+$/.test(text)) return parseInt(text, 10);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return parseInt(text.slice(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(text)) {
    if (text.slice(-3).toLowerCase() === 'nan') return NaN;
    return text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(text)) return parseFloat(text);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(text)) return parseFloat(text);
  return text;
}

/** `0755`, `-017`: an integer with a leading zero and only octal digits. */
export const LEGACY_OCTAL = /^[-+]?0[0-7]+$/;

export function legacyOctal(text: string): number {
  const value = parseInt(text.replace(/^[-+]/, ''), 8);
  return text.startsWith('-') ? -value : value;
}

/**
 * Folds the lines of a plain or single-quoted scalar (`source` without quotes): blanks around line
 * breaks go, one line break becomes a space, and n empty lines become n line breaks.
 */
export function unfoldLines(source: string): string {
  const lines = source.split('\n');
  if (lines.length === 1) return source;
  let out = (lines[0] as string).replace(/(?<![ \t])[ \t]+$/, '');
  let separator = ' ';
  for (let i = 1; i < lines.length - 1; i++) {
    const line = (lines[i] as string).replace(/^[ \t]+|(?<![ \t])[ \t]+$/g, '');
    if (line === '') {
      if (separator === '\n') out += separator;
      else separator = '\n';
    } else {
      out += separator + line;
      separator = ' ';
    }
  }
  return out + separator + (lines[lines.length - 1] as string).replace(/^[ \t]*/, '');
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};

/**
 * The value of a double-quoted scalar, `source` being its text between the quotes; `undefined`
 * for an escape YAML does not define.
 */
export function doubleQuotedValue(source: string): string | undefined {
  if (!/[\\\n]/.test(source)) return source;
  let out = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (ch === '\n') {
      // A line break folds to a space, or to one line break less than there are.
      let fold = '';
      let next = source[i + 1];
      while (next === ' ' || next === '\n') {
        if (next === '\n') fold += '\n';
        i++;
        next = source[i + 1];
      }
      out += fold === '' ? ' ' : fold;
    } else if (ch === '\\') {
      const next = source[++i];
      if (next === undefined) return undefined;
      const escaped = ESCAPES[next];
      if (escaped !== undefined) {
        out += escaped;
      } else if (next === '\n') {
        // An escaped line break joins the lines, without the next one's indentation.
        while (source[i + 1] === ' ') i++;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = source.slice(i + 1, i + 1 + length);
        if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        out += String.fromCodePoint(code);
        i += length;
      } else {
        return undefined;
      }
    } else if (ch === ' ') {
      // Blanks before a line break go.
      const from = i;
      while (source[i + 1] === ' ') i++;
      if (source[i + 1] !== '\n') out += source.slice(from, i + 1);
    } else {
      out += ch;
    }
  }
  return out;
}

/** One line of a block scalar: its indentation and what follows it. */
export type BlockLine = [indent: number, content: string];

/**
 * The value of a block scalar (`|` literal or `>` folded, `-` to strip the final line break) from
 * its lines up to the last one with content, each indented at least `indent`, the indentation of its
 * first line with content.
 */
export function blockScalarValue(lines: readonly BlockLine[], indent: number, folded: boolean, strip: boolean): string {
  let value = '';
  let separator = '';
  let previousMoreIndented = false;
  let i = 0;
  // Empty lines before the first line with content are kept as they are.
  for (; i < lines.length && (lines[i] as BlockLine)[1] === ''; i++) value += '\n';
  if (i === lines.length) return '';
  for (; i < lines.length; i++) {
    const [lineIndent, content] = lines[i] as BlockLine;
    const text = ' '.repeat(Math.max(0, lineIndent - indent)) + content;
    if (!folded) {
      value += separator + text;
      separator = '\n';
    } else if (lineIndent > indent) {
      // A more-indented line keeps the line breaks around it.
      if (separator === ' ') separator = '\n';
      else if (!previousMoreIndented && separator === '\n') separator = '\n\n';
      value += separator + text;
      separator = '\n';
      previousMoreIndented = true;
    } else if (content === '') {
      if (separator === '\n') value += '\n';
      else separator = '\n';
    } else {
      value += separator + content;
      separator = ' ';
      previousMoreIndented = false;
    }
  }
  return strip ? value : `${value}\n`;
}
