import { isDict, type Dict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';
import { parseVolumeSpec } from './volume-spec.js';

const HINT =
  'write a volume as "[SOURCE:]TARGET[:ro|rw|z|Z|nocopy]", e.g. "data:/var/lib/data", "./src:/app:ro" or "/cache", ' +
  'or use the long form {type: bind, source: ./src, target: /app}';

/**
 * `volumes` of a service: short entries become `{type, source?, target, read_only?, bind?, volume?}`;
 * long entries are kept, with `bind.create_host_path` defaulting to true when `bind` is given.
 */
export function canonicalServiceVolumes(value: unknown, site: Site): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((entry, index) => {
    const path = [...site.path, index];
    if (typeof entry === 'string') {
      const parsed = parseVolumeSpec(entry);
      if ('error' in parsed) throw invalidValue(path, `invalid volume ${quote(entry)}: ${parsed.error}`, HINT);
      return parsed.volume;
    }
    if (isDict(entry)) return longVolume(entry);
    throw invalidValue(path, `invalid volume ${quote(entry)}`, HINT);
  });
}

function longVolume(entry: Dict): Dict {
  if (!isDict(entry.bind) || entry.bind.create_host_path !== undefined) return entry;
  return { ...entry, bind: { ...entry.bind, create_host_path: true } };
}
