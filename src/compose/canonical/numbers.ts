/** Numeric attributes written as strings (often after interpolation, `cpus: "${CPUS:-0.5}"`) become numbers. */
export function canonicalNumber(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[-+]?(\d+\.?\d*|\.\d+)$/.test(value.trim())) return value;
  return Number(value);
}
