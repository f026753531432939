import { describe, expect, it } from 'vitest';
import { execFailure, readExecLine, type ExecReport } from '../../../src/kernel/linux/exec-result.js';

describe('the result lines of tsc-helper exec', () => {
  it('folds the start line and the exit line into one report, ignoring anything else', () => {
    const report: ExecReport = {};
    for (const line of ['{"ok":true,"pid":42,"startTime":7}', 'not json', '{"something":"else"}', '{"exited":true,"exitCode":null,"signal":9}']) {
      readExecLine(report, line);
    }
    expect(report).toEqual({ started: { pid: 42, startTime: 7 }, exit: { exitCode: null, signal: 9 } });
  });

  it('turns a failure into EXEC_FAILED naming container, step and cause; a gone target into CONTAINER_BAD_STATE', () => {
    const report: ExecReport = {};
    readExecLine(report, '{"ok":false,"step":"exec","errno":2,"errnoName":"ENOENT","message":"exec: \\"x\\": executable file not found in $PATH"}');
    const err = execFailure('web-1', report.failure ?? { step: '', errno: 0, errnoName: '', message: '' });
    expect([err.code, err.exitStatus, err.message]).toEqual(['EXEC_FAILED', 126, 'exec in `web-1`: exec: "x": executable file not found in $PATH']);
    expect(err.cause).toEqual({ step: 'exec', errno: 2, errnoName: 'ENOENT', message: 'exec: "x": executable file not found in $PATH' });
    const cwd = execFailure('web-1', { step: 'cwd', errno: 2, errnoName: 'ENOENT', message: 'chdir to `/x`: No such file or directory' });
    expect(cwd.message).toBe('exec in `web-1`: cwd: chdir to `/x`: No such file or directory');
    expect(execFailure('web-1', { step: 'target', errno: 3, errnoName: 'ESRCH', message: 'gone' }).code).toBe('CONTAINER_BAD_STATE');
    expect(execFailure('web-1', { step: 'plan', errno: 22, errnoName: 'EINVAL', message: 'plan: bad' }).code).toBe('INTERNAL');
  });
});
