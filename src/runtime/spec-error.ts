import { TscError } from '../errors/index.js';

/** A container spec the runtime cannot run, as the user caused it; create() names the container in front. */
export function specError(message: string, hint: string): TscError {
  return new TscError('CONTAINER_START', message, { hint });
}
