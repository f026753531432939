import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { parseExitFile } from '../../../src/kernel/linux/exit-file.js';

describe('parseExitFile', () => {
  it('reads an exit code', () => {
    const text = '{"pid":12,"startTime":345,"exitCode":3,"signal":null,"coreDumped":false,"time":"2024-05-01T10:00:00.123456789Z"}\n';
    expect(parseExitFile('/b/exit.json', text)).toEqual({
      pid: 12, startTime: 345, exitCode: 3, signal: null, coreDumped: false, time: '2024-05-01T10:00:00.123456789Z',
    });
  });

  it('names the signal that ended the process', () => {
    const text = '{"pid":12,"startTime":345,"exitCode":null,"signal":9,"coreDumped":false,"time":"t"}';
    expect(parseExitFile('/b/exit.json', text)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(parseExitFile('/b/exit.json', text.replace('"signal":9', '"signal":15'))).toMatchObject({ signal: 'SIGTERM' });
  });

  it.each([
    ['truncated JSON', '{"pid":12,'],
    ['a wrong shape', '{"pid":"12","startTime":1,"exitCode":0,"signal":null,"coreDumped":false,"time":"t"}'],
    ['a missing field', '{"pid":12,"startTime":1,"exitCode":0,"signal":null,"time":"t"}'],
  ])('calls %s a corrupt state file', (_what, text) => {
    let caught: unknown;
    try {
      parseExitFile('/b/exit.json', text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(TscError);
    expect((caught as TscError).code).toBe('STATE_CORRUPT');
    expect((caught as TscError).message).toMatch(/^exit file `\/b\/exit.json`: /);
  });
});
