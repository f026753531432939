import { TscError } from '../errors/index.js';

/** One record of a container's log, as the monitor writes it: a line (or a chunk of a long one). */
export interface LogRecord {
  readonly stream: 'stdout' | 'stderr';
  /** The text, with its newline when it ended one. */
  readonly log: string;
  /** RFC 3339 with nanoseconds, UTC. */
  readonly time: string;
}

/** A line of the log file, or undefined for one that is not a record (never trusted half). */
export function parseLogLine(line: string): LogRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const r = value as Record<string, unknown>;
  if ((r.stream !== 'stdout' && r.stream !== 'stderr') || typeof r.log !== 'string' || typeof r.time !== 'string') return undefined;
  return { stream: r.stream, log: r.log, time: r.time };
}

/** A bound of `since`/`until`: epoch milliseconds, or an RFC 3339 time. */
export type LogTime = number | string;

export function logTimeMs(value: LogTime, what: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new TscError('USAGE', `${what}: "${value}" is not a time`, { hint: 'give an RFC 3339 time such as 2024-05-01T12:00:00Z' });
  }
  return ms;
}

/** A record as `logs` prints it: the text, after its time with `timestamps`. */
export function formatLogRecord(record: LogRecord, options: { timestamps?: boolean } = {}): string {
  return options.timestamps === true ? `${record.time} ${record.log}` : record.log;
}
