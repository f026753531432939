/** `4.26MB`: decimal units with three significant digits, as Docker prints image sizes. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number(value.toPrecision(3))}${units[unit]}`;
}

/** `1.523MiB`: binary units with four significant digits, as `docker stats` prints memory. */
export function binarySize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number(value.toPrecision(4))}${units[unit]}`;
}

/** A percentage with two decimals, `12.34%`. */
export function percent(value: number): string {
  return `${(Number.isFinite(value) ? value : 0).toFixed(2)}%`;
}
