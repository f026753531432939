/**
 * The healthcheck state machine of one container run, as Docker keeps it: `starting` until the first
 * passing check, `healthy` after a pass, `unhealthy` after `retries` failures in a row. A failure
 * inside the start period does not count while the container has never been healthy. Pure: time comes in.
 */

/** What to run and when; the supervisor receives this as plain data (durations in ms). */
export interface HealthCheck {
  /** argv run in the container; a shell check arrives as `['/bin/sh', '-c', text]`. */
  readonly command: readonly string[];
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly startPeriodMs: number;
  readonly startIntervalMs: number;
}

/** Docker's defaults for a field left out (or 0). */
export const HEALTH_DEFAULTS = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, startIntervalMs: 5_000 } as const;

export type HealthStatus = 'starting' | 'healthy' | 'unhealthy';

/** One check's outcome; times are RFC 3339. */
export interface HealthResult {
  readonly start: string;
  readonly end: string;
  /** 0 passes; anything else fails (-1: the check could not run or timed out). */
  readonly exitCode: number;
  readonly output: string;
}

export interface HealthState {
  readonly status: HealthStatus;
  readonly failingStreak: number;
  /** The last {@link MAX_HEALTH_LOG} results, oldest first. */
  readonly log: readonly HealthResult[];
}

export const MAX_HEALTH_LOG = 5;
/** Output kept per result, as Docker keeps it. */
export const MAX_HEALTH_OUTPUT = 4096;

export const initialHealth = (): HealthState => ({ status: 'starting', failingStreak: 0, log: [] });

export interface RunTimes {
  /** When the container run started, in ms of the wall clock. */
  readonly startedAtMs: number;
  readonly nowMs: number;
}

const inStartPeriod = (check: HealthCheck, times: RunTimes): boolean =>
  check.startPeriodMs > 0 && times.nowMs < times.startedAtMs + check.startPeriodMs;

/** The state after one more result. */
export function recordResult(state: HealthState, result: HealthResult, check: HealthCheck, times: RunTimes): HealthState {
  const log = [...state.log, result].slice(-MAX_HEALTH_LOG);
  if (result.exitCode === 0) return { status: 'healthy', failingStreak: 0, log };
  if (state.status === 'starting' && inStartPeriod(check, times)) return { status: 'starting', failingStreak: state.failingStreak, log };
  const failingStreak = state.failingStreak + 1;
  const retries = check.retries > 0 ? check.retries : HEALTH_DEFAULTS.retries;
  return { status: failingStreak >= retries ? 'unhealthy' : state.status, failingStreak, log };
}

/**
 * The pause before the next check: `start_interval` while the run is in its start period and has not
 * been healthy yet, `interval` otherwise. The first check of a run comes that long after its start
 * (Docker runs no check at the moment of start either).
 */
export function nextDelayMs(check: HealthCheck, state: HealthState, times: RunTimes): number {
  const starting = state.status === 'starting' && inStartPeriod(check, times);
  const ms = starting ? check.startIntervalMs || HEALTH_DEFAULTS.startIntervalMs : check.intervalMs || HEALTH_DEFAULTS.intervalMs;
  return Math.max(0, ms);
}
