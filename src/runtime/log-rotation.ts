import type { LogRotation } from '../kernel/launch-plan.js';
import type { ContainerSpec } from './container-spec.js';
import { specError } from './spec-error.js';

/** tscompose's defaults: the log is rotated at 10 MiB and 3 files are kept. */
export const DEFAULT_LOG_MAX_SIZE = 10 * 1024 * 1024;
export const DEFAULT_LOG_MAX_FILES = 3;

/** The rotation the monitor applies: the spec's, each part defaulted; none when maxSizeBytes is 0. */
export function logRotationOf(spec: Pick<ContainerSpec, 'log'>): LogRotation | undefined {
  const maxSizeBytes = spec.log?.maxSizeBytes ?? DEFAULT_LOG_MAX_SIZE;
  const maxFiles = spec.log?.maxFiles ?? DEFAULT_LOG_MAX_FILES;
  if (!Number.isSafeInteger(maxSizeBytes) || maxSizeBytes < 0) throw specError(`log max size ${maxSizeBytes} is not a size in bytes`, 'give a whole number of bytes, or 0 for no rotation');
  if (!Number.isInteger(maxFiles) || maxFiles < 1 || maxFiles > 1000) throw specError(`log max files ${maxFiles} is not a count of files`, 'give a whole number from 1 to 1000');
  return maxSizeBytes === 0 ? undefined : { maxSizeBytes, maxFiles };
}
