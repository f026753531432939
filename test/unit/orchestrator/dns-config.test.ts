import { describe, expect, it } from 'vitest';
import { dnsSection, dnsUpstreamSetting } from '../../../src/orchestrator/dns-config.js';
import type { NetworkView } from '../../../src/orchestrator/network-view.js';

const front: NetworkView = {
  name: 'shop_front', bridge: 'tsc-1a2b3c', gateway: '172.28.0.1', subnet: '172.28.0.0/16', internal: false,
  endpoints: [
    { container: 'shop-web-1', service: 'web', ip: '172.28.0.2', aliases: ['www', 'Frontend'] },
    { container: 'shop-web-2', service: 'web', ip: '172.28.0.3', aliases: ['www'] },
    { container: 'shop-web-3', service: 'web', ip: '172.28.0.4', aliases: [] },
    { container: 'other-cache-1', service: 'cache', ip: '172.28.0.9', aliases: [] },
    { container: 'loner', service: '', ip: '172.28.0.10', aliases: [] },
  ],
};
const back: NetworkView = {
  name: 'shop_back', bridge: 'tsc-4d5e6f', gateway: '172.29.0.1', subnet: '172.29.0.0/16', internal: true,
  endpoints: [{ container: 'shop-web-1', service: 'web', ip: '172.29.0.2', aliases: ['api'] }],
};
const projects: Record<string, string> = { 'shop-web-1': 'shop', 'shop-web-2': 'shop', 'shop-web-3': 'shop', 'other-cache-1': 'other' };

describe('dnsSection', () => {
  it('gives each network its own names: every replica under the service, service.project, container names and aliases', () => {
    const section = dnsSection([front, back], 'none', (c) => projects[c]);
    expect(section.upstream).toBe('none');
    expect(section.networks.map((n) => [n.name, n.listen, n.internal])).toEqual([['shop_front', '172.28.0.1', false], ['shop_back', '172.29.0.1', true]]);
    expect(section.networks[0]?.records).toEqual({
      cache: ['172.28.0.9'],
      'cache.other': ['172.28.0.9'],
      frontend: ['172.28.0.2'],
      loner: ['172.28.0.10'],
      'other-cache-1': ['172.28.0.9'],
      'shop-web-1': ['172.28.0.2'],
      'shop-web-2': ['172.28.0.3'],
      'shop-web-3': ['172.28.0.4'],
      web: ['172.28.0.2', '172.28.0.3', '172.28.0.4'],
      'web.shop': ['172.28.0.2', '172.28.0.3', '172.28.0.4'],
      www: ['172.28.0.2', '172.28.0.3'],
    });
    // The same container answers with its address on that network.
    expect(section.networks[1]?.records).toEqual({ api: ['172.29.0.2'], 'shop-web-1': ['172.29.0.2'], web: ['172.29.0.2'], 'web.shop': ['172.29.0.2'] });
  });
});

describe('dnsUpstreamSetting', () => {
  it('reads TSCOMPOSE_DNS_UPSTREAM: unset or host, none, or a list of addresses', () => {
    expect(dnsUpstreamSetting(undefined)).toBe('host');
    expect(dnsUpstreamSetting('host')).toBe('host');
    expect(dnsUpstreamSetting(' none ')).toBe('none');
    expect(dnsUpstreamSetting('192.0.2.53, 192.0.2.54')).toEqual(['192.0.2.53', '192.0.2.54']);
  });
});
