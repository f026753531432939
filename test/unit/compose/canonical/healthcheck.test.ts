import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const healthcheck = (body: string): unknown =>
  canonicalService(`services:\n  web:\n    image: x\n    healthcheck: ${body}\n`).healthcheck;

describe('canonical healthcheck', () => {
  it('runs a string test in the shell', () => {
    expect(healthcheck('{test: curl -f http://localhost || exit 1}')).toEqual({
      test: ['CMD-SHELL', 'curl -f http://localhost || exit 1'],
    });
  });

  it('keeps list tests, NONE and disable as written', () => {
    expect(healthcheck('{test: [CMD, curl, -f, http://x]}')).toEqual({ test: ['CMD', 'curl', '-f', 'http://x'] });
    expect(healthcheck('{test: [NONE]}')).toEqual({ test: ['NONE'] });
    expect(healthcheck('{disable: true}')).toEqual({ disable: true });
  });

  it('prints durations the way Compose does and makes retries a number', () => {
    expect(healthcheck('{test: [CMD, x], interval: 90s, timeout: 10s, start_period: 1m, start_interval: 500ms, retries: "3"}')).toEqual({
      test: ['CMD', 'x'],
      interval: '1m30s',
      timeout: '10s',
      start_period: '1m0s',
      start_interval: '500ms',
      retries: 3,
    });
  });

  it('rejects a duration without a unit', () => {
    const err = thrownBy(() => healthcheck('{interval: "10"}'));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.healthcheck.interval');
    expect(err.hint).toContain('1m30s');
  });
});
