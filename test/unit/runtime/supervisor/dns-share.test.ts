import { describe, expect, it } from 'vitest';
import { dnsSection } from '../../../../src/orchestrator/dns-config.js';
import { mergeContributions, ownContribution } from '../../../../src/runtime/supervisor/dns-share.js';

// One network shared by projects shop and blog, plus a container no project made.
const [shared] = dnsSection([{
  name: 'shared', bridge: 'tsc-1', gateway: '172.30.0.1', subnet: '172.30.0.0/24', internal: false,
  endpoints: [
    { container: 'shop-web-1', service: 'web', ip: '172.30.0.2', aliases: ['www'] },
    { container: 'blog-web-1', service: 'web', ip: '172.30.0.3', aliases: [] },
    { container: 'loner', service: '', ip: '172.30.0.9', aliases: [] },
  ],
}], 'none', (c) => ({ 'shop-web-1': 'shop', 'blog-web-1': 'blog' })[c]).networks;

describe('ownContribution', () => {
  it('keeps the names and containers of the project\'s own endpoints and of those no project claims', () => {
    expect(shared?.projects).toEqual({ 'shop-web-1': 'shop', 'blog-web-1': 'blog' });
    expect(ownContribution(shared!, 'shop')).toEqual({
      project: 'shop',
      records: { loner: ['172.30.0.9'], 'shop-web-1': ['172.30.0.2'], web: ['172.30.0.2'], 'web.shop': ['172.30.0.2'], www: ['172.30.0.2'] },
      containers: { 'shop-web-1': '172.30.0.2', loner: '172.30.0.9' },
    });
  });

  it('takes a section without projects whole', () => {
    const { projects: _, ...old } = shared!;
    expect(ownContribution(old, 'shop').records).toEqual(old.records);
  });
});

describe('mergeContributions', () => {
  it('gives the union of the addresses per name, names compared lower-cased, and every container', () => {
    const merged = mergeContributions([
      ownContribution(shared!, 'shop'),
      ownContribution(shared!, 'blog'),
      { project: 'wiki', records: { WEB: ['172.30.0.4'] }, containers: { 'wiki-web-1': '172.30.0.4' } },
    ]);
    expect(merged.records.web).toEqual(['172.30.0.3', '172.30.0.2', '172.30.0.4']);
    expect(merged.records.loner).toEqual(['172.30.0.9']);
    expect(merged.records['web.blog']).toEqual(['172.30.0.3']);
    expect(Object.keys(merged.containers).sort()).toEqual(['blog-web-1', 'loner', 'shop-web-1', 'wiki-web-1']);
  });
});
