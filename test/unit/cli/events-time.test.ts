import { describe, expect, it } from 'vitest';
import { parseTime } from '../../../src/cli/commands/events.js';
import { humanDuration } from '../../../src/cli/render/human-duration.js';

describe('events --since/--until times', () => {
  const now = Date.parse('2026-05-01T12:00:00.000Z');

  it('takes RFC 3339, seconds since the epoch, and a duration ago', () => {
    expect(parseTime('2026-05-01T11:00:00Z', now)).toBe(Date.parse('2026-05-01T11:00:00Z'));
    expect(parseTime('0', now)).toBe(0);
    expect(parseTime('1777636800.5', now)).toBe(1777636800500);
    expect(parseTime('10m', now)).toBe(now - 600_000);
    expect(parseTime('0s', now)).toBe(now);
  });

  it('refuses anything else with a hint of the forms', () => {
    expect(() => parseTime('yesterday', now)).toThrow(/RFC 3339/);
  });
});

describe('ps durations', () => {
  it('words them as docker ps does', () => {
    expect([0, 1_000, 3_000, 60_000, 150_000, 3_600_000, 5 * 3_600_000, 3 * 86_400_000, 21 * 86_400_000].map(humanDuration)).toEqual([
      'Less than a second', '1 second', '3 seconds', 'About a minute', '2 minutes', 'About an hour', '5 hours', '3 days', '3 weeks',
    ]);
  });
});
