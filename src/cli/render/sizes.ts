/** `value` divided by `base` until it is below it, with `digits` significant digits and the unit it reached. */
function scaled(bytes: number, base: number, units: readonly string[], digits: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= base && unit < units.length - 1) {
    value /= base;
    unit++;
  }
  return `${Number(value.toPrecision(digits))}${units[unit]}`;
}

/**
 * `4.26MB`: decimal units, as Docker prints sizes: three significant digits for image sizes (the default),
 * four for space reclaimed by a prune.
 */
export function humanSize(bytes: number, digits = 3): string {
  return scaled(bytes, 1000, ['B', 'kB', 'MB', 'GB', 'TB'], digits);
}

/** `1.523MiB`: binary units with four significant digits, as `docker stats` prints memory. */
export function binarySize(bytes: number): string {
  return scaled(bytes, 1024, ['B', 'KiB', 'MiB', 'GiB', 'TiB'], 4);
}

/** A percentage with two decimals, `12.34%`. */
export function percent(value: number): string {
  return `${(Number.isFinite(value) ? value : 0).toFixed(2)}%`;
}
