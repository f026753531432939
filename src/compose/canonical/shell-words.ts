export type WordsParse = { words: string[] } | { error: string };

const SPACE = new Set([' ', '\t', '\n', '\r']);
const DOUBLE_QUOTE_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

/**
 * Splits a command line into words with POSIX shell quoting: blanks separate words, single quotes
 * keep everything literally, double quotes keep everything but `\` before `$`, `` ` ``, `"`, `\` or a
 * newline, and a backslash outside quotes keeps the next character. Nothing is expanded and
 * operators such as `&&` or `|` are ordinary words: no shell runs the result.
 */
export function splitShellWords(line: string): WordsParse {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (quote === "'") {
      if (char === "'") quote = '';
      else word += char;
    } else if (char === '\\') {
      const next = line.charAt(i + 1);
      if (i + 1 >= line.length) return { error: 'a backslash ends the line' };
      i++;
      if (quote === '"' && !DOUBLE_QUOTE_ESCAPES.has(next)) word += char + next;
      else if (next !== '\n') word += next;
      else continue;
      inWord = true;
    } else if (quote === '"') {
      if (char === '"') quote = '';
      else word += char;
    } else if (SPACE.has(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote !== '') return { error: `the ${quote === '"' ? 'double' : 'single'} quote is not closed` };
  if (inWord) words.push(word);
  return { words };
}
