import { TscError } from '../errors/index.js';

/** One record of a container's log, as the monitor writes it: a line (or a chunk of a long one). */
export interface LogRecord {
  readonly stream: 'stdout' | 'stderr';
  /** The text, with its newline when it ended one. */
  readonly log: string;
  /** RFC 3339 with nanoseconds, UTC. */
  readonly time: string;
}

const STREAMS = new Set(['stdout', 'stderr']);
/** RFC 3339 with a "T", seconds and a zone; fractions optional. */
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * A line of the log file, or undefined for one that is not a record (never trusted half). The monitor
 * writes `<time> <stream> <F|P> <text>` (the CRI logging format): F ends a line (its newline is the
 * record's own), P is a piece of one without its newline. A JSON line as Docker's json-file driver
 * writes it (`{"log":…,"stream":…,"time":…}`) is read too.
 */
export function parseLogLine(line: string): LogRecord | undefined {
  if (line.startsWith('{')) return parseJsonLine(line);
  const a = line.indexOf(' ');
  const b = a < 0 ? -1 : line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const c = line.indexOf(' ', b + 1);
  const time = line.slice(0, a);
  const stream = line.slice(a + 1, b);
  // Tags are separated by ":"; the first says whether the line is whole (F) or a piece (P).
  const tag = (c < 0 ? line.slice(b + 1) : line.slice(b + 1, c)).split(':')[0];
  if (!STREAMS.has(stream) || (tag !== 'F' && tag !== 'P') || !TIME.test(time)) return undefined;
  const text = c < 0 ? '' : line.slice(c + 1);
  return { stream: stream as LogRecord['stream'], log: tag === 'F' ? `${text}\n` : text, time };
}

function parseJsonLine(line: string): LogRecord | undefined {
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

/**
 * The lines the monitor writes for a record: one F line for a text ending in its only newline, else P
 * pieces (a newline inside the text ends an F line and starts the next). For writers other than the
 * monitor that must produce the same file (fakes, fixtures).
 */
export function logLinesOf(record: LogRecord): string {
  const parts = record.log.split('\n');
  const last = parts.pop() as string;
  const lines = parts.map((p) => `${record.time} ${record.stream} F ${p}\n`);
  if (last !== '') lines.push(`${record.time} ${record.stream} P ${last}\n`);
  return lines.join('');
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
