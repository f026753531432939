import { invalidValue, quote } from './invalid.js';
import { splitShellWords } from './shell-words.js';
import type { Site } from './transformer.js';

/**
 * `command` and `entrypoint`: a string is split into words as a shell would (without running one),
 * so `command: echo "a b"` is `[echo, a b]`; an empty string is the empty list; null stays null.
 */
export function canonicalCommand(value: unknown, site: Site): unknown {
  if (Array.isArray(value)) return value.map((word) => (typeof word === 'string' ? word : String(word)));
  if (typeof value !== 'string') return value;
  const parsed = splitShellWords(value);
  if ('error' in parsed) {
    throw invalidValue(
      site.path,
      `cannot split ${quote(value)} into words: ${parsed.error}`,
      'close the quote, or write the command as a list, e.g. ["sh", "-c", "echo hello"]',
    );
  }
  return parsed.words;
}
