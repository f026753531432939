/** `expose`: a port, range or `port/protocol` per entry, always as a string. */
export function canonicalExpose(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'number') return [String(value)];
  if (!Array.isArray(value)) return value;
  return value.map((entry) => (typeof entry === 'number' ? String(entry) : entry));
}
