import { parse } from 'yaml';
import { toCanonical } from '../../../../src/compose/canonical/index.js';
import { mergeDicts, type MergeTags } from '../../../../src/compose/merge/index.js';
import type { Dict } from '../../../../src/compose/types.js';

/** Two inline compose files, each in canonical form, merged in order. */
export function merged(base: string, override: string, tags?: MergeTags): Dict {
  const left = toCanonical(parse(base) as Dict, 'compose.yaml');
  const right = toCanonical(parse(override) as Dict, 'compose.override.yaml');
  return mergeDicts(left, right, tags);
}

/** One service of two merged inline files. */
export function mergedService(base: string, override: string, name = 'web', tags?: MergeTags): Dict {
  return (merged(base, override, tags).services as Dict)[name] as Dict;
}

/** A one-service file with the given attribute lines (already indented under the service). */
export function web(lines: string): string {
  return `services:\n  web:\n${lines.replace(/^/gm, '    ')}\n`;
}
