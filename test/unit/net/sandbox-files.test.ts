import { describe, expect, it } from 'vitest';
import { renderHosts, renderResolvConf, resolveExtraHosts } from '../../../src/net/sandbox-files.js';
import { expectTscError } from './expect-error.js';

describe('/etc/hosts', () => {
  it('has the loopback lines, then extra_hosts, then the container\'s own name on its first address', () => {
    const text = renderHosts({ hostname: 'web', domainname: 'example.org', address: '172.28.0.2', extraHosts: { db: ['10.0.0.5', '10.0.0.6'] } });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('127.0.0.1\tlocalhost');
    expect(lines[1]).toBe('::1\tlocalhost ip6-localhost ip6-loopback');
    expect(lines.slice(-3)).toEqual(['10.0.0.5\tdb', '10.0.0.6\tdb', '172.28.0.2\tweb.example.org web']);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('puts the name on the loopback address when there is no network', () => {
    expect(renderHosts({ hostname: 'abc' }).trimEnd().split('\n').at(-1)).toBe('127.0.0.1\tabc');
  });

  it('resolves host-gateway to the first network\'s gateway, and refuses it without one', () => {
    expect(resolveExtraHosts({ gw: ['host-gateway'], x: ['1.2.3.4'] }, '172.28.0.1', 's')).toEqual({ gw: ['172.28.0.1'], x: ['1.2.3.4'] });
    expectTscError(() => resolveExtraHosts({ gw: ['host-gateway'] }, undefined, 's'), 'NETWORK_CONFLICT', /host-gateway/);
  });
});

describe('/etc/resolv.conf', () => {
  it('lists nameservers, then search domains and options when given', () => {
    expect(renderResolvConf({ nameservers: ['172.28.0.1'] })).toBe('nameserver 172.28.0.1\n');
    expect(renderResolvConf({ nameservers: ['1.1.1.1', '9.9.9.9'], search: ['a.test', 'b.test'], options: ['ndots:2', 'timeout:1'] }))
      .toBe('nameserver 1.1.1.1\nnameserver 9.9.9.9\nsearch a.test b.test\noptions ndots:2 timeout:1\n');
  });
});
