import { describe, expect, it } from 'vitest';
import { canonical, canonicalService } from './helpers.js';

describe('canonical environment and build args', () => {
  it('turns KEY=VALUE lists into a mapping, a bare KEY into null and KEY= into ""', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    environment: [A=1, B, C=, D=x=y]\n');
    expect(web.environment).toEqual({ A: '1', B: null, C: '', D: 'x=y' });
  });

  it('makes numbers and booleans strings and keeps null in the mapping form', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    environment: {PORT: 80, DEBUG: true, RATIO: 1.5, EMPTY: null}\n');
    expect(web.environment).toEqual({ PORT: '80', DEBUG: 'true', RATIO: '1.5', EMPTY: null });
  });

  it('treats build.args the same way', () => {
    const web = canonicalService('services:\n  web:\n    build: {context: ., args: [VERSION=1, TOKEN]}\n');
    expect(web.build).toEqual({ context: '.', args: { VERSION: '1', TOKEN: null } });
  });
});

describe('canonical labels, annotations, sysctls and options', () => {
  it('turns lists into mappings with "" for a key without value', () => {
    const web = canonicalService(`services:
  web:
    image: x
    labels: [com.example.a=1, com.example.b]
    annotations: [k=v]
    sysctls: [net.core.somaxconn=1024]
    deploy: {labels: [tier=web]}
`);
    expect(web.labels).toEqual({ 'com.example.a': '1', 'com.example.b': '' });
    expect(web.annotations).toEqual({ k: 'v' });
    expect(web.sysctls).toEqual({ 'net.core.somaxconn': '1024' });
    expect(web.deploy).toEqual({ labels: { tier: 'web' } });
  });

  it('makes mapping values strings, null becoming ""', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    sysctls: {net.ipv4.ip_forward: 1}\n    labels: {a: null, b: false}\n');
    expect(web.sysctls).toEqual({ 'net.ipv4.ip_forward': '1' });
    expect(web.labels).toEqual({ a: '', b: 'false' });
  });

  it('applies to the labels of top-level resources and to driver options', () => {
    const doc = canonical(`services: {}
networks:
  front: {labels: [a=b], driver_opts: {mtu: 1400}}
volumes:
  data: {labels: [c=d]}
`);
    expect(doc.networks).toEqual({ front: { labels: { a: 'b' }, driver_opts: { mtu: '1400' } } });
    expect(doc.volumes).toEqual({ data: { labels: { c: 'd' } } });
  });
});
