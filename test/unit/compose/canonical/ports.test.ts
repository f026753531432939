import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const ports = (list: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    ports: ${list}\n`).ports;

describe('canonical ports', () => {
  it('expands HOST:CONTAINER with published as a string and target as a number', () => {
    expect(ports('["8080:80"]')).toEqual([{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }]);
  });

  it('keeps a lone container port unpublished, from a string or a number', () => {
    expect(ports('["80", 3000]')).toEqual([
      { mode: 'ingress', target: 80, protocol: 'tcp' },
      { mode: 'ingress', target: 3000, protocol: 'tcp' },
    ]);
  });

  it('reads the host address, an empty host port and the protocol', () => {
    expect(ports('["127.0.0.1:8080:80", "127.0.0.1::53/udp", "[::1]:443:443/TCP"]')).toEqual([
      { mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', host_ip: '127.0.0.1', target: 53, protocol: 'udp' },
      { mode: 'ingress', host_ip: '::1', target: 443, published: '443', protocol: 'tcp' },
    ]);
  });

  it('expands ranges of equal length to one entry per port', () => {
    expect(ports('["8080-8081:80-81", "90-91"]')).toEqual([
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', target: 81, published: '8081', protocol: 'tcp' },
      { mode: 'ingress', target: 90, protocol: 'tcp' },
      { mode: 'ingress', target: 91, protocol: 'tcp' },
    ]);
  });

  it('keeps a host range over one container port as one entry', () => {
    expect(ports('["9000-9010:80"]')).toEqual([{ mode: 'ingress', target: 80, published: '9000-9010', protocol: 'tcp' }]);
  });

  it('keeps the long form, filling mode and protocol and typing target and published', () => {
    const yaml = '[{target: "80", published: 8080, host_ip: 0.0.0.0, app_protocol: http, name: web, x-note: a}]';
    expect(ports(yaml)).toEqual([
      { name: 'web', mode: 'ingress', host_ip: '0.0.0.0', target: 80, published: '8080', protocol: 'tcp', app_protocol: 'http', 'x-note': 'a' },
    ]);
    expect(ports('[{target: 80, mode: host, protocol: udp}]')).toEqual([{ mode: 'host', target: 80, protocol: 'udp' }]);
  });

  it.each([
    ['abc:80', 'invalid host port "abc"'],
    ['80:abc', 'invalid container port "abc"'],
    ['8080:80/foo', 'invalid protocol "foo"'],
    ['1.2.3:80:80', 'invalid IP address'],
    ['8080-8081:80-82', 'differ in length'],
    ['70000:80', 'invalid host port'],
    ['8080:', 'no container port'],
  ])('rejects %s with the path, the value and the right form', (spec, reason) => {
    const err = thrownBy(() => ports(`["8080:80", "${spec}"]`));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.path).toBe('services.web.ports[1]');
    expect(err.message).toContain(JSON.stringify(spec));
    expect(err.message).toContain(reason);
    expect(err.hint).toContain('[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]');
  });

  it('rejects a long form without a numeric target', () => {
    const err = thrownBy(() => ports('[{target: http}]'));
    expect(err.path).toBe('services.web.ports[0].target');
  });
});
