import { parseBytes } from '../compose/canonical/bytes.js';
import type { ContainerSpec } from '../runtime/container-spec.js';
import { specError } from '../runtime/spec-error.js';

type LoggingOptions = Readonly<Record<string, string | null | undefined>>;

/**
 * A size as json-file's `max-size` takes it: bytes, or a number with k, m, g or t (powers of 1024),
 * optionally followed by `b` or `ib`, any case (`500k`, `10m`, `1g`, `10MB`). `-1` means no limit (0).
 */
export function parseLogSize(text: string): number | undefined {
  if (text.trim() === '-1') return 0;
  const bytes = parseBytes(text);
  return bytes !== undefined && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** `max-size` and `max-file` of a json-file logging driver as a spec's `log`; refuses values it cannot read. */
export function logLimitsFromOptions(options: LoggingOptions): ContainerSpec['log'] {
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

/** The `log` part of a spec for these logging options, as an object to spread (empty without limits). */
export function logSpecOf(options: LoggingOptions | undefined): Pick<ContainerSpec, 'log'> {
  const log = options === undefined ? undefined : logLimitsFromOptions(options);
  return log === undefined ? {} : { log };
}
