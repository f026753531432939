import { lookupPattern, type PathPattern } from '../canonical/path-pattern.js';
import { isDict, type ComposePath, type Dict } from '../types.js';
import { mountKey, pathKey, portKey, subnetKey, targetKey } from './keys.js';
import { mergeLogging } from './logging.js';
import { removePath } from './reset.js';
import type { MergeFn, MergeRule } from './rule.js';
import { appendUnique, byKey } from './sequences.js';

const replace: MergeRule = (_base, override) => override;

/**
 * Merge rules that differ from the defaults (mappings merge by key, sequences append what is not
 * already there, scalars are replaced), by the path of the attribute.
 */
export const MERGE_RULES: ReadonlyMap<PathPattern, MergeRule> = new Map([
  ['services.*.command', replace],
  ['services.*.entrypoint', replace],
  ['services.*.healthcheck.test', replace],
  ['services.*.logging', mergeLogging],
  ['services.*.volumes', byKey(targetKey)],
  ['services.*.devices', byKey(targetKey)],
  ['services.*.secrets', byKey(mountKey('/run/secrets'))],
  ['services.*.configs', byKey(mountKey(''))],
  ['services.*.ports', byKey(portKey)],
  ['services.*.env_file', byKey(pathKey)],
  ['networks.*.ipam.config', byKey(subnetKey, 'merge')],
]);

export interface MergeTags {
  /** Paths tagged `!reset` in the override file: removed from the result. */
  resets: ComposePath[];
  /** Paths tagged `!override` in the override file: the override's value replaces the base's. */
  overrides: ComposePath[];
}

/**
 * Merges a compose file over the ones before it, both in canonical long form, following the Compose
 * specification's merge rules: mappings merge recursively, sequences append (without duplicating an
 * entry), scalars are replaced, a null in the override leaves the base value; `command`,
 * `entrypoint` and `healthcheck.test` are replaced; `volumes` and `devices` are unique by target,
 * `secrets`/`configs` by target (default `/run/secrets/<source>` and `/<source>`), `ports` by host
 * address, published port, target and protocol, `env_file` by path, IPAM configs by subnet; entries
 * repeated within one file collapse by the same rules. Neither input is modified; the result may
 * share unchanged parts with them.
 */
export function mergeDicts(base: Dict, override: Dict, tags: MergeTags = { resets: [], overrides: [] }): Dict {
  const replaced = new Set(tags.overrides.map(pathKeyOf));
  const start = tags.resets.reduce(removePath, base);
  const merge: MergeFn = (left, right, path) => {
    if (replaced.has(pathKeyOf(path))) return right;
    const rule = lookupPattern(MERGE_RULES, path);
    if (rule !== undefined) return rule(left, right, path, merge);
    if (right === null || right === undefined) return left;
    if (isDict(left) && isDict(right)) return mergeMappings(left, right, path, merge);
    if (Array.isArray(left) && Array.isArray(right)) return appendUnique(left, right);
    return right;
  };
  return mergeMappings(start, override, [], merge);
}

function mergeMappings(base: Dict, override: Dict, path: ComposePath, merge: MergeFn): Dict {
  const out: Dict = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (Object.hasOwn(base, key)) out[key] = merge(base[key], value, [...path, key]);
    // A value the base lacks is merged over an empty one, so its own duplicates collapse too;
    // extension fields are the user's own data and are taken as written.
    else out[key] = key.startsWith('x-') ? value : merge(emptyLike(value), value, [...path, key]);
  }
  return out;
}

function emptyLike(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  return isDict(value) ? {} : value;
}

function pathKeyOf(path: ComposePath): string {
  return path.map(String).join('\u0000');
}
