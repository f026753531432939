import { TscError } from '../errors/index.js';
import type { SourceLocation } from '../errors/index.js';
import { interpolateString } from './template.js';
import { defineKey } from './define-key.js';
import { formatPath } from './types.js';
import type { ComposePath, Dict, Lookup, PositionIndex, WarningSink } from './types.js';

export { interpolateString } from './template.js';
export type { Substitution } from './template.js';

export interface InterpolateOptions {
  /** The file the data came from, for locations. */
  file: string;
  positions?: PositionIndex;
  onWarning?: WarningSink;
}

/**
 * The interpolation stage: substitutes variables in every string value of a parsed file, through
 * mappings and sequences; keys are never touched. Returns a new tree; `data` is left as it was.
 * An unset variable without a default becomes "" and is warned about once per name.
 */
export function interpolate(data: Dict, lookup: Lookup, options: InterpolateOptions): Dict {
  const warned = new Set<string>();
  const locate = (path: ComposePath): SourceLocation =>
    options.positions?.locate(path) ?? { file: options.file };

  const walk = (value: unknown, path: ComposePath): unknown => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      let result;
      try {
        result = interpolateString(value, lookup);
      } catch (err) {
        if (err instanceof TscError) throw err.at(locate(path), formatPath(path));
        throw err;
      }
      for (const name of result.unset) {
        if (warned.has(name)) continue;
        warned.add(name);
        options.onWarning?.({
          code: 'UNSET_VARIABLE',
          message: `The "${name}" variable is not set. Defaulting to a blank string.`,
          location: locate(path),
        });
      }
      return result.value;
    }
    if (Array.isArray(value)) return value.map((item, index) => walk(item, [...path, index]));
    if (typeof value === 'object' && value !== null) {
      const out: Dict = {};
      for (const [key, item] of Object.entries(value)) {
        defineKey(out, key, walk(item, [...path, key]));
      }
      return out;
    }
    return value;
  };

  return walk(data, []) as Dict;
}
