/** Attributes that take a string or a list of strings (`dns`, `tmpfs`, ...): always a list. */
export function canonicalStringList(value: unknown): unknown {
  return typeof value === 'string' ? [value] : value;
}

/** Attributes that take a list of names or a mapping keyed by name (service `networks`, `models`). */
export function canonicalNameMap(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: Record<string, null> = {};
  for (const name of value) out[String(name)] = null;
  return out;
}
