import { isDict, type Dict } from '../types.js';
import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

/**
 * `depends_on`: a list of names becomes a mapping; every entry gets `condition: service_started`
 * and `required: true` unless set; `restart` is kept when given.
 */
export function canonicalDependsOn(value: unknown, site: Site): unknown {
  if (Array.isArray(value)) {
    const out: Dict = {};
    value.forEach((name, index) => {
      if (typeof name !== 'string') {
        throw invalidValue([...site.path, index], `invalid dependency ${quote(name)}`, 'list service names, e.g. depends_on: [db]');
      }
      out[name] = dependency({});
    });
    return out;
  }
  if (!isDict(value)) return value;
  const out: Dict = {};
  for (const [name, entry] of Object.entries(value)) {
    if (entry !== null && !isDict(entry)) {
      throw invalidValue([...site.path, name], `invalid dependency ${quote(entry)}`, 'use {condition: service_healthy} or the list form');
    }
    out[name] = dependency(entry ?? {});
  }
  return out;
}

function dependency(entry: Dict): Dict {
  const { condition, restart, required, ...rest } = entry;
  const out: Dict = { condition: condition ?? 'service_started' };
  if (restart !== undefined) out.restart = restart;
  out.required = required ?? true;
  return { ...out, ...rest };
}
