import { constants } from 'node:os';
import { TscError } from '../../errors/index.js';
import type { ExitStatus } from '../kernel.js';

const SIGNAL_NAMES = new Map<number, string>(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** The name of signal number `n` (`SIGTERM`), or `SIG<n>` for one Node does not name. */
export function signalName(n: number): string {
  return SIGNAL_NAMES.get(n) ?? `SIG${n}`;
}

function isIntOrNull(v: unknown): v is number | null {
  return v === null || Number.isInteger(v);
}

/** Reads the monitor's exit file (`{"pid","startTime","exitCode","signal","coreDumped","time"}`). */
export function parseExitFile(path: string, text: string): ExitStatus {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw corrupt(path, 'not JSON', err);
  }
  const r = raw as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || !Number.isInteger(r.pid) || !Number.isInteger(r.startTime) ||
    !isIntOrNull(r.exitCode) || !isIntOrNull(r.signal) || typeof r.coreDumped !== 'boolean' || typeof r.time !== 'string') {
    throw corrupt(path, 'unexpected shape');
  }
  const signal = r.signal as number | null;
  return {
    pid: r.pid as number,
    startTime: r.startTime as number,
    exitCode: r.exitCode as number | null,
    signal: signal === null ? null : signalName(signal),
    coreDumped: r.coreDumped,
    time: r.time,
  };
}

function corrupt(path: string, what: string, cause?: unknown): TscError {
  return new TscError('STATE_CORRUPT', `exit file \`${path}\`: ${what}`, {
    hint: 'the file is written by the container monitor; remove the container and start it again',
    cause,
  });
}
