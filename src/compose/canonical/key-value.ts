import { isDict, type Dict } from '../types.js';

/**
 * `KEY=VALUE` lists and mappings as Compose reads them. Values that are numbers or booleans become
 * strings. `environment` and `build.args` keep a key without value as null (resolved later from
 * the environment); labels, annotations and sysctls make it the empty string.
 */
export function canonicalEnvironment(value: unknown): unknown {
  return toMapping(value, null);
}

export function canonicalLabels(value: unknown): unknown {
  return toMapping(value, '');
}

/** Option mappings (`driver_opts`, `logging.options`): values as strings, null kept. */
export function canonicalOptions(value: unknown): unknown {
  if (!isDict(value)) return value;
  const out: Dict = {};
  for (const [key, entry] of Object.entries(value)) out[key] = scalarString(entry, null);
  return out;
}

function toMapping(value: unknown, missing: string | null): unknown {
  if (Array.isArray(value)) {
    const out: Dict = {};
    for (const item of value) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq < 0) out[text] = missing;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return out;
  }
  if (!isDict(value)) return value;
  const out: Dict = {};
  for (const [key, entry] of Object.entries(value)) out[key] = scalarString(entry, missing);
  return out;
}

function scalarString(value: unknown, missing: string | null): unknown {
  if (value === null || value === undefined) return missing;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value;
}
