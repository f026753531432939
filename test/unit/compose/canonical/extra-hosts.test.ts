import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const hosts = (value: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    extra_hosts: ${value}\n`).extra_hosts;

describe('canonical extra_hosts', () => {
  it('reads HOST=IP and HOST:IP entries into host → IPs', () => {
    expect(hosts('["alpha:50.31.209.229", "zulu:ff02::1", "v6=[::1]", "multi=10.0.0.1,10.0.0.2", "alpha=10.0.0.9"]')).toEqual({
      alpha: ['50.31.209.229', '10.0.0.9'],
      zulu: ['ff02::1'],
      v6: ['::1'],
      multi: ['10.0.0.1', '10.0.0.2'],
    });
  });

  it('reads the mapping form with one or several IPs', () => {
    expect(hosts('{somehost: 162.242.195.82, many: [10.0.0.1, "[::2]"]}')).toEqual({
      somehost: ['162.242.195.82'],
      many: ['10.0.0.1', '::2'],
    });
  });

  it('rejects an entry without an IP', () => {
    const err = thrownBy(() => hosts('["lonely"]'));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.extra_hosts[0]');
    expect(err.message).toContain('missing IP');
    expect(err.hint).toContain('HOST=IP');
  });
});
