/** One service `secrets`/`configs` entry (and build secrets): a name alone is `{source}`. */
export function canonicalFileReference(value: unknown): unknown {
  return typeof value === 'string' ? { source: value } : value;
}
