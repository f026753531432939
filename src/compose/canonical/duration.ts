import { invalidValue, quote } from './invalid.js';
import type { Site } from './transformer.js';

const UNITS: Record<string, number> = {
  ns: 1,
  us: 1e3,
  'µs': 1e3,
  'μs': 1e3,
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
  d: 86400e9,
  w: 604800e9,
};

/** Nanoseconds in a Compose duration (`1m30s`, `1.5h`, `2d`, `500ms`), or undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^([-+]?)(.*)$/.exec(text.trim());
  const sign = match?.[1] === '-' ? -1 : 1;
  const body = match?.[2] ?? '';
  if (body === '0') return 0;
  if (body === '') return undefined;
  let total = 0;
  let rest = body;
  while (rest !== '') {
    const part = /^(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/.exec(rest);
    if (part === null) return undefined;
    total += Number(part[1]) * (UNITS[part[2] ?? ''] ?? 0);
    rest = rest.slice(part[0].length);
  }
  return sign * Math.round(total);
}

/** A duration written the way Compose prints it: `1m30s`, `1h0m0s`, `1.5s`, `500ms`, `0s`. */
export function formatDuration(nanoseconds: number): string {
  if (nanoseconds < 0) return `-${formatDuration(-nanoseconds)}`;
  if (nanoseconds === 0) return '0s';
  if (nanoseconds < 1e3) return `${nanoseconds}ns`;
  if (nanoseconds < 1e6) return `${fraction(nanoseconds, 1e3)}µs`;
  if (nanoseconds < 1e9) return `${fraction(nanoseconds, 1e6)}ms`;
  const totalSeconds = Math.floor(nanoseconds / 1e9);
  const seconds = `${fraction((totalSeconds % 60) * 1e9 + (nanoseconds % 1e9), 1e9)}s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes === 0) return seconds;
  const minutes = `${totalMinutes % 60}m${seconds}`;
  const hours = Math.floor(totalMinutes / 60);
  return hours === 0 ? minutes : `${hours}h${minutes}`;
}

function fraction(value: number, unit: number): string {
  const whole = Math.floor(value / unit);
  const rest = value % unit;
  if (rest === 0) return String(whole);
  const digits = String(rest).padStart(String(unit).length - 1, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}

/** A duration attribute (healthcheck intervals, `stop_grace_period`, ...) in Compose's printed form. */
export function canonicalDuration(value: unknown, site: Site): unknown {
  if (value === null || value === undefined) return value;
  const nanoseconds = parseDuration(String(value));
  if (nanoseconds === undefined) {
    throw invalidValue(site.path, `invalid duration ${quote(value)}`, 'write a duration with units, e.g. 10s, 1m30s, 500ms or 1h');
  }
  return formatDuration(nanoseconds);
}
