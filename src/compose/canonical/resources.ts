import { isDict, type Dict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

/**
 * A top-level network, volume, secret or config: an empty declaration is `{}`; the legacy
 * `external: {name: x}` becomes `external: true` with `name: x`.
 */
export function canonicalResource(value: unknown, site: Site): unknown {
  if (value === null || value === undefined) return {};
  if (!isDict(value) || !isDict(value.external)) return value;
  const out: Dict = { ...value, external: true };
  const externalName = value.external.name;
  if (externalName !== undefined) {
    if (value.name !== undefined && value.name !== externalName) {
      throw invalidValue(
        site.path,
        `name ${quote(value.name)} and external.name ${quote(externalName)} conflict`,
        'set only name, with external: true',
      );
    }
    out.name = externalName;
  }
  return out;
}
