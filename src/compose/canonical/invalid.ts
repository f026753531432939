import { TscError } from '../../errors/index.js';
import { formatPath, type ComposePath } from '../types.js';

/**
 * The error for a value the canonical stage cannot expand. The message starts with the compose path
 * and quotes the bad value; the loader adds the file:line:column from the path.
 */
export function invalidValue(path: ComposePath, message: string, hint: string): TscError {
  const at = formatPath(path);
  return new TscError('COMPOSE_INVALID', `${at}: ${message}`, { path: at, hint });
}

/** A value as it is quoted in messages. */
export function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
