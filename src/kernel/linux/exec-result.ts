import { TscError, type ErrorCode } from '../../errors/index.js';
import type { LaunchFailure, ProcessRef } from '../kernel.js';

/** What `tsc-helper exec` said on its result descriptor: started (or failed), then how the command ended. */
export interface ExecReport {
  started?: ProcessRef;
  failure?: LaunchFailure;
  exit?: { exitCode: number | null; signal: number | null };
}

type Obj = Record<string, unknown>;
const int = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;

/** Folds one result line into the report; lines that are not the helper's JSON are ignored. */
export function readExecLine(report: ExecReport, line: string): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const r = value as Obj;
  if (r.ok === true && int(r.pid) && r.pid > 0 && int(r.startTime)) report.started = { pid: r.pid, startTime: r.startTime };
  else if (r.ok === false && typeof r.step === 'string' && typeof r.message === 'string') {
    report.failure = {
      step: r.step,
      errno: int(r.errno) ? r.errno : 0,
      errnoName: typeof r.errnoName === 'string' ? r.errnoName : '',
      message: r.message,
    };
  } else if (r.exited === true) {
    report.exit = { exitCode: int(r.exitCode) ? r.exitCode : null, signal: int(r.signal) ? r.signal : null };
  }
}

const HINTS: Readonly<Record<string, string>> = {
  exec: 'check the command, the image\'s PATH and that the file is executable for the user',
  cwd: 'the working directory must exist in the container and be reachable by the user',
  user: 'check the user and group exist in the container',
  namespace: 'the container\'s namespaces could not be joined; is it still running?',
  cgroup: 'the container\'s cgroup could not be joined; is it still running?',
};

/** The error of a command that could not be started, naming the container, the step and the cause. */
export function execFailure(name: string, failure: LaunchFailure): TscError {
  if (failure.step === 'target') {
    return new TscError('CONTAINER_BAD_STATE', `cannot exec in container ${name}: it is not running`, { hint: 'start it first', cause: failure });
  }
  let code: ErrorCode = 'EXEC_FAILED';
  let hint = HINTS[failure.step] ?? `the kernel refused step \`${failure.step}\`; the message names what it was doing`;
  if (failure.step === 'plan' || failure.step === 'usage') {
    code = 'INTERNAL';
    hint = 'the helper could not read the exec plan; this is a bug in tscompose, please report it';
  }
  const text = failure.message.startsWith(failure.step) ? failure.message : `${failure.step}: ${failure.message}`;
  return new TscError(code, `exec in \`${name}\`: ${text}`, { hint, cause: failure });
}
