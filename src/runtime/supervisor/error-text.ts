import { TscError } from '../../errors/index.js';

/** One line for the supervisor's log or a check's output: the message, with the code of a TscError. */
export function errorText(err: unknown): string {
  if (err instanceof TscError) return `${err.message} [${err.code}]`;
  return err instanceof Error ? err.message : String(err);
}
