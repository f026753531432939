import { describe, expect, it } from 'vitest';
import type { TscError } from '../../../src/errors/index.js';
import type { HelperRun } from '../../../src/kernel/linux/helper-process.js';
import { parseLaunchOutput } from '../../../src/kernel/linux/helper-result.js';

const run = (stdout: string, exitCode = 0, stderr = ''): HelperRun => ({ stdout, stderr, exitCode, signal: null });

function failure(r: HelperRun): TscError {
  try {
    parseLaunchOutput('web', r);
  } catch (err) {
    return err as TscError;
  }
  throw new Error('parseLaunchOutput did not throw');
}

describe('parseLaunchOutput', () => {
  it('reads the container and monitor of a successful launch', () => {
    const out = run('{"ok":true,"pid":4242,"startTime":991,"monitorPid":4241,"monitorStartTime":990}\n');
    expect(parseLaunchOutput('web', out)).toEqual({ container: { pid: 4242, startTime: 991 }, monitor: { pid: 4241, startTime: 990 } });
  });

  it('makes a missing executable a CONTAINER_START error that keeps the helper\'s words', () => {
    const err = failure(run('{"ok":false,"step":"exec","errno":2,"errnoName":"ENOENT","message":"exec: \\"nope\\": executable file not found in $PATH"}\n', 1));
    expect(err.code).toBe('CONTAINER_START');
    expect(err.message).toBe('start `web`: exec: "nope": executable file not found in $PATH');
    expect(err.cause).toEqual({ step: 'exec', errno: 2, errnoName: 'ENOENT', message: 'exec: "nope": executable file not found in $PATH' });
  });

  it('makes EPERM from a setup step a KERNEL_EPERM error with a hint about root', () => {
    const err = failure(run('{"ok":false,"step":"namespace","errno":1,"errnoName":"EPERM","message":"unshare namespaces (flags 0x6c020000): Operation not permitted"}', 1));
    expect(err.code).toBe('KERNEL_EPERM');
    expect(err.message).toBe('start `web`: namespace: unshare namespaces (flags 0x6c020000): Operation not permitted');
    expect(err.hint).toContain('root');
  });

  it('makes other kernel refusals KERNEL errors and plan errors INTERNAL', () => {
    expect(failure(run('{"ok":false,"step":"mount","errno":2,"errnoName":"ENOENT","message":"mount `x` on `/y`: No such file or directory"}', 1)).code).toBe('KERNEL');
    expect(failure(run('{"ok":false,"step":"plan","errno":22,"errnoName":"EINVAL","message":"plan line 3 (`x`): unknown key"}', 1)).code).toBe('INTERNAL');
  });

  it('reports a helper that died without a report, with its stderr', () => {
    const err = failure(run('', 139, 'Segmentation fault\n'));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toBe('start `web`: the native helper exited with 139 without a report: Segmentation fault');
    const killed = failure({ stdout: 'garbage', stderr: '', exitCode: null, signal: 'SIGKILL' });
    expect(killed.message).toBe('start `web`: the native helper was killed by SIGKILL without a report: garbage');
  });

  it('does not accept a success line with missing fields', () => {
    expect(failure(run('{"ok":true,"pid":4242}\n')).code).toBe('INTERNAL');
  });
});
