import { describe, expect, it } from 'vitest';
import { statusCode } from '../../../src/cli/exit-code.js';

describe('statusCode', () => {
  it('is the exit code, or 128 plus the signal number as Docker reports it', () => {
    expect(statusCode({ exitCode: 3, signal: null })).toBe(3);
    expect(statusCode({ exitCode: null, signal: 'SIGKILL' })).toBe(137);
    expect(statusCode({ exitCode: null, signal: 'SIGTERM' })).toBe(143);
  });
});
