import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../../../src/compose/canonical/duration.js';
import { canonicalService } from './helpers.js';

describe('durations', () => {
  it.each([
    ['90s', '1m30s'],
    ['1m30s', '1m30s'],
    ['1h', '1h0m0s'],
    ['2m', '2m0s'],
    ['1.5s', '1.5s'],
    ['500ms', '500ms'],
    ['1500ms', '1.5s'],
    ['250us', '250µs'],
    ['1.5µs', '1.5µs'],
    ['10ns', '10ns'],
    ['0', '0s'],
    ['1d', '24h0m0s'],
    ['1w', '168h0m0s'],
    ['1h2m3.004s', '1h2m3.004s'],
    ['-5s', '-5s'],
  ])('%s prints as %s', (input, printed) => {
    const ns = parseDuration(input);
    expect(ns).toBeDefined();
    expect(formatDuration(ns ?? NaN)).toBe(printed);
  });

  it.each(['10', 's', '1x', '', '1m 30s'])('%j is not a duration', (input) => {
    expect(parseDuration(input)).toBeUndefined();
  });

  it('applies to stop_grace_period and deploy timings', () => {
    const web = canonicalService(`services:
  web:
    image: x
    stop_grace_period: 120s
    deploy:
      restart_policy: {delay: 5000ms, window: 2m}
      update_config: {delay: 10s, monitor: 60s}
`);
    expect(web.stop_grace_period).toBe('2m0s');
    expect(web.deploy).toEqual({
      restart_policy: { delay: '5s', window: '2m0s' },
      update_config: { delay: '10s', monitor: '1m0s' },
    });
  });
});
