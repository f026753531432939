import { describe, expect, it } from 'vitest';
import { initialHealth, MAX_HEALTH_LOG, nextDelayMs, recordResult, type HealthCheck, type HealthResult, type HealthState } from '../../../../src/runtime/supervisor/health-state.js';

const check: HealthCheck = { command: ['true'], intervalMs: 1_000, timeoutMs: 500, retries: 3, startPeriodMs: 0, startIntervalMs: 100 };
const result = (exitCode: number, n = 0): HealthResult => ({ start: `t${n}`, end: `t${n}`, exitCode, output: `run ${n}` });
const times = { startedAtMs: 0, nowMs: 5_000 };

function apply(codes: number[], c: HealthCheck = check, at = times): HealthState {
  return codes.reduce((state, code, i) => recordResult(state, result(code, i), c, at), initialHealth());
}

describe('health state machine', () => {
  it('turns healthy on the first pass and stays starting before any', () => {
    expect(initialHealth().status).toBe('starting');
    expect(apply([0])).toMatchObject({ status: 'healthy', failingStreak: 0 });
  });

  it('turns unhealthy only after `retries` failures in a row; a pass resets the streak', () => {
    expect(apply([1, 1])).toMatchObject({ status: 'starting', failingStreak: 2 });
    expect(apply([1, 1, 1])).toMatchObject({ status: 'unhealthy', failingStreak: 3 });
    expect(apply([0, 1, 1])).toMatchObject({ status: 'healthy', failingStreak: 2 });
    expect(apply([0, 1, 1, 1])).toMatchObject({ status: 'unhealthy', failingStreak: 3 });
    expect(apply([1, 1, 1, 0])).toMatchObject({ status: 'healthy', failingStreak: 0 });
  });

  it('does not count failures inside the start period until the first pass', () => {
    const slow = { ...check, startPeriodMs: 10_000 };
    const early = { startedAtMs: 0, nowMs: 2_000 };
    expect(apply([1, 1, 1, 1, 1], slow, early)).toMatchObject({ status: 'starting', failingStreak: 0 });
    // After a pass inside the start period, failures count again.
    expect(apply([0, 1, 1, 1], slow, early)).toMatchObject({ status: 'unhealthy', failingStreak: 3 });
    expect(apply([1, 1, 1], slow, { startedAtMs: 0, nowMs: 11_000 })).toMatchObject({ status: 'unhealthy' });
  });

  it('keeps the last five results, oldest first', () => {
    const state = apply([1, 0, 1, 0, 1, 0, 1]);
    expect(state.log).toHaveLength(MAX_HEALTH_LOG);
    expect(state.log.map((r) => r.output)).toEqual(['run 2', 'run 3', 'run 4', 'run 5', 'run 6']);
  });

  it('treats retries 0 as Docker does: the default of 3', () => {
    expect(apply([1, 1], { ...check, retries: 0 }).status).toBe('starting');
    expect(apply([1, 1, 1], { ...check, retries: 0 }).status).toBe('unhealthy');
  });

  it('checks at start_interval during the start period, at interval otherwise', () => {
    const c = { ...check, startPeriodMs: 3_000 };
    expect(nextDelayMs(c, initialHealth(), { startedAtMs: 0, nowMs: 0 })).toBe(100);
    expect(nextDelayMs(c, initialHealth(), { startedAtMs: 0, nowMs: 3_000 })).toBe(1_000);
    expect(nextDelayMs(c, apply([0]), { startedAtMs: 0, nowMs: 1_000 })).toBe(1_000);
    expect(nextDelayMs(check, initialHealth(), { startedAtMs: 0, nowMs: 0 })).toBe(1_000);
  });
});
