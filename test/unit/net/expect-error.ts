import { expect } from 'vitest';
import { TscError } from '../../../src/errors/index.js';

function check(err: unknown, code: string, message: RegExp): void {
  expect(err).toBeInstanceOf(TscError);
  const e = err as TscError;
  expect(e.code).toBe(code);
  expect(e.message).toMatch(message);
  expect(e.hint ?? '').not.toBe('');
}

/** Expects `fn` to throw a TscError with this code, a message matching, and a hint. */
export function expectTscError(fn: () => unknown, code: string, message: RegExp = /./): void {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  check(thrown, code, message);
}

export async function expectTscRejection(promise: Promise<unknown>, code: string, message: RegExp = /./): Promise<void> {
  const thrown = await promise.then(() => undefined, (err: unknown) => err);
  check(thrown, code, message);
}
