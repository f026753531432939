import { nearest } from '../../util/suggest.js';

const LISTED = 8;

/**
 * The hint for a reference to something undefined: the nearest defined name if it looks like a
 * typo, else the defined names, else how to define one.
 */
export function undefinedHint(what: string, name: string, defined: readonly string[], howToDefine: string): string {
  const near = nearest(name, defined);
  if (near !== undefined) return `did you mean "${near}"? ${howToDefine}`;
  if (defined.length === 0) return `no ${what} is defined; ${howToDefine}`;
  const sorted = [...defined].sort();
  const shown = sorted.slice(0, LISTED).map((n) => `"${n}"`).join(', ');
  const more = sorted.length > LISTED ? ` and ${sorted.length - LISTED} more` : '';
  return `defined: ${shown}${more}; ${howToDefine}`;
}
