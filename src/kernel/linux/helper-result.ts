import { TscError, type ErrorCode } from '../../errors/index.js';
import type { LaunchFailure, LaunchResult } from '../kernel.js';
import type { HelperRun } from './helper-process.js';

interface Reported {
  ok: boolean;
  pid?: unknown;
  startTime?: unknown;
  monitorPid?: unknown;
  monitorStartTime?: unknown;
  step?: unknown;
  errno?: unknown;
  errnoName?: unknown;
  message?: unknown;
}

function firstJsonLine(stdout: string): Reported | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith('{'));
  if (line === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && typeof (value as Reported).ok === 'boolean' ? (value as Reported) : undefined;
  } catch {
    return undefined;
  }
}

const int = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

function codeFor(failure: LaunchFailure): { code: ErrorCode; hint: string } {
  if (failure.step === 'exec') {
    return { code: 'CONTAINER_START', hint: 'check the command, the image\'s PATH and that the file is executable for the user' };
  }
  if (failure.step === 'plan' || failure.step === 'usage') {
    return { code: 'INTERNAL', hint: 'the helper could not read the launch plan; this is a bug in tscompose, please report it' };
  }
  if (failure.errnoName === 'EPERM' || failure.errnoName === 'EACCES') {
    return { code: 'KERNEL_EPERM', hint: 'containers need root (CAP_SYS_ADMIN); run tscompose as root' };
  }
  return { code: 'KERNEL', hint: `the kernel refused step \`${failure.step}\`; the message names what it was doing` };
}

/** Turns the helper's one JSON line into a LaunchResult, or throws a TscError whose cause is the LaunchFailure. */
export function parseLaunchOutput(name: string, run: HelperRun): LaunchResult {
  const r = firstJsonLine(run.stdout);
  if (r?.ok === true && int(r.pid) && int(r.startTime) && int(r.monitorPid) && int(r.monitorStartTime)) {
    return { container: { pid: r.pid, startTime: r.startTime }, monitor: { pid: r.monitorPid, startTime: r.monitorStartTime } };
  }
  if (r?.ok === false && typeof r.step === 'string' && typeof r.message === 'string') {
    const failure: LaunchFailure = {
      step: r.step,
      errno: Number.isInteger(r.errno) ? (r.errno as number) : 0,
      errnoName: typeof r.errnoName === 'string' ? r.errnoName : '',
      message: r.message,
    };
    const { code, hint } = codeFor(failure);
    const text = r.message.startsWith(r.step) ? r.message : `${r.step}: ${r.message}`;
    return throwError(new TscError(code, `start \`${name}\`: ${text}`, { hint, cause: failure }));
  }
  const how = run.signal !== null ? `was killed by ${run.signal}` : `exited with ${run.exitCode ?? '?'}`;
  const detail = (run.stderr.trim() || run.stdout.trim()).slice(0, 500);
  return throwError(new TscError('INTERNAL', `start \`${name}\`: the native helper ${how} without a report${detail ? `: ${detail}` : ''}`, {
    hint: 'this is a bug in tscompose or its helper; please report it with this message',
  }));
}

function throwError(err: TscError): never {
  throw err;
}
