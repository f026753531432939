import type { LogRotation } from '../kernel/launch-plan.js';
import type { ContainerSpec } from './container-spec.js';
import { specError } from './spec-error.js';

/** tscompose's defaults: the log is rotated at 10 MiB and 3 files are kept. */
export const DEFAULT_LOG_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 3;

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * A size as json-file's `max-size` takes it: bytes, or a number with k, m, g or t (powers of 1024),
 * optionally followed by `b` or `ib`, any case (`500k`, `10m`, `1g`, `10MB`). `-1` means no limit (0).
 */
export function parseLogSize(text: string): number | undefined {
  const value = text.trim();
  if (value === '-1') return 0;
  const m = /^(\d+(?:\.\d+)?)\s?([kmgt]?)(?:i?b)?$/i.exec(value);
  if (m === null) return undefined;
  const bytes = Math.floor(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1));
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `max-size` and `max-file` of a json-file logging driver as a spec's `log`; refuses values it cannot read. */
export function logLimitsFromOptions(options: Readonly<Record<string, string | null | undefined>>): ContainerSpec['log'] {
  const size = options['max-size'];
  const files = options['max-file'];
  let maxSizeBytes: number | undefined;
  let maxFiles: number | undefined;
  if (size !== undefined && size !== null) {
    maxSizeBytes = parseLogSize(size);
    if (maxSizeBytes === undefined) throw specError(`logging option max-size "${size}" is not a size`, 'give a size such as 500k, 10m or 1g');
  }
  if (files !== undefined && files !== null) {
    maxFiles = /^\d+$/.test(files.trim()) ? Number(files.trim()) : NaN;
    if (!(maxFiles >= 1 && maxFiles <= 1000)) throw specError(`logging option max-file "${files}" is not a count of files`, 'give a whole number from 1 to 1000');
  }
  if (maxSizeBytes === undefined && maxFiles === undefined) return undefined;
  return { ...(maxSizeBytes === undefined ? {} : { maxSizeBytes }), ...(maxFiles === undefined ? {} : { maxFiles }) };
}

/** The rotation the monitor applies: the spec's, each part defaulted; none when maxSizeBytes is 0. */
export function logRotationOf(spec: Pick<ContainerSpec, 'log'>): LogRotation | undefined {
  const maxSizeBytes = spec.log?.maxSizeBytes ?? DEFAULT_LOG_MAX_SIZE;
  const maxFiles = spec.log?.maxFiles ?? DEFAULT_LOG_MAX_FILES;
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes < 0) throw specError(`log max size ${maxSizeBytes} is not a size in bytes`, 'give a whole number of bytes, or 0 for no rotation');
  if (!Number.isInteger(maxFiles) || maxFiles < 1 || maxFiles > 1000) throw specError(`log max files ${maxFiles} is not a count of files`, 'give a whole number from 1 to 1000');
  return maxSizeBytes === 0 ? undefined : { maxSizeBytes, maxFiles };
}

/** The `log` part of a spec for these logging options, as an object to spread (empty without limits). */
export function logSpecOf(options: Readonly<Record<string, string | null | undefined>> | undefined): Pick<ContainerSpec, 'log'> {
  const log = options === undefined ? undefined : logLimitsFromOptions(options);
  return log === undefined ? {} : { log };
}
