import { isDict, type Dict } from '../types.js';

/** `env_file`: a path or a list of paths and entries, each as `{path, required}` (required by default). */
export function canonicalEnvFile(value: unknown): unknown {
  const entries = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(entries)) return value;
  return entries.map((entry): unknown => {
    if (typeof entry === 'string') return { path: entry, required: true };
    if (!isDict(entry)) return entry;
    const { path, required, ...rest } = entry;
    const out: Dict = { path, required: required ?? true };
    return { ...out, ...rest };
  });
}
