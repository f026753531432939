/**
 * A file mode as written in a compose file: a number (the loader reads `0440` as octal, as compose-go
 * does) or an octal string (`"0440"`, `"440"`, `"0o440"`). Returns -1 for what is not a mode at all.
 */
export function fileMode(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'string') {
    const text = value.trim();
    return /^(0o)?[0-7]{1,5}$/.test(text) ? parseInt(text.replace(/^0o/, ''), 8) : -1;
  }
  return Number.isInteger(value) && value >= 0 && value <= 0o7777 ? value : -1;
}
