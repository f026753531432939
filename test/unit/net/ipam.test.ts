import { describe, expect, it } from 'vitest';
import { chooseSubnet, checkRequestedAddress, DEFAULT_POOL, nextAddress, subnetFromPool } from '../../../src/net/ipam.js';
import { formatCidr, parseCidr, parseIp, type Cidr } from '../../../src/net/ipv4.js';
import { expectTscError } from './expect-error.js';

const cidr = (text: string): Cidr => parseCidr(text) as Cidr;
const ip = (text: string): number => parseIp(text) as number;

describe('IPv4 parsing', () => {
  it('parses addresses and CIDRs, and refuses malformed ones', () => {
    expect(parseIp('172.28.1.2')).toBe(0xac1c0102);
    expect(parseIp('256.1.1.1')).toBeUndefined();
    expect(parseIp('1.2.3')).toBeUndefined();
    expect(formatCidr(cidr('10.5.0.0/16'))).toBe('10.5.0.0/16');
    expect(parseCidr('10.5.0.1/16')).toBeUndefined();
    expect(formatCidr(parseCidr('192.0.2.2/24', true) as Cidr)).toBe('192.0.2.0/24');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
  });
});

describe('choosing a subnet', () => {
  it('takes the first /24 of the pool when the host uses nothing in it', () => {
    expect(formatCidr(subnetFromPool('p_default', [cidr('192.0.2.0/24')]))).toBe('172.28.0.0/24');
  });

  it('skips every subnet a host route or address overlaps, whatever its size', () => {
    const used = [cidr('172.28.0.0/23'), cidr('172.28.2.7/32'), cidr('172.28.3.128/25')];
    expect(formatCidr(chooseSubnet(DEFAULT_POOL, used) as Cidr)).toBe('172.28.4.0/24');
  });

  it('finds nothing inside a route that covers the whole pool', () => {
    expect(chooseSubnet(DEFAULT_POOL, [cidr('172.16.0.0/12')])).toBeUndefined();
  });

  it('reports an exhausted pool as NETWORK_POOL_EXHAUSTED with a hint', () => {
    const pool = { base: cidr('10.9.0.0/23'), size: 24 };
    expect(formatCidr(subnetFromPool('a', [cidr('10.9.0.0/24')], pool))).toBe('10.9.1.0/24');
    expectTscError(() => subnetFromPool('p_back', [cidr('10.9.0.0/24'), cidr('10.9.1.0/24')], pool), 'NETWORK_POOL_EXHAUSTED', /p_back/);
  });
});

describe('allocating addresses', () => {
  const subnet = cidr('10.1.0.0/29');
  const gateway = ip('10.1.0.1');

  it('gives the lowest free host address, never the network, gateway or broadcast address', () => {
    expect(nextAddress(subnet, gateway, new Set())).toBe(ip('10.1.0.2'));
    expect(nextAddress(subnet, gateway, new Set([ip('10.1.0.2'), ip('10.1.0.3')]))).toBe(ip('10.1.0.4'));
    const full = new Set([2, 3, 4, 5, 6].map((n) => ip(`10.1.0.${n}`)));
    expect(nextAddress(subnet, gateway, full)).toBeUndefined();
  });

  it('keeps to ip_range when given', () => {
    expect(nextAddress(cidr('10.1.0.0/24'), ip('10.1.0.1'), new Set(), cidr('10.1.0.128/25'))).toBe(ip('10.1.0.128'));
  });

  it('refuses an ipv4_address outside the subnet, reserved, or taken, as NETWORK_CONFLICT', () => {
    expectTscError(() => checkRequestedAddress('n', subnet, gateway, ip('10.2.0.2'), undefined), 'NETWORK_CONFLICT', /outside/);
    expectTscError(() => checkRequestedAddress('n', subnet, gateway, gateway, undefined), 'NETWORK_CONFLICT', /gateway/);
    expectTscError(() => checkRequestedAddress('n', subnet, gateway, ip('10.1.0.7'), undefined), 'NETWORK_CONFLICT', /broadcast/);
    expectTscError(() => checkRequestedAddress('n', subnet, gateway, ip('10.1.0.3'), 'p-a-1'), 'NETWORK_CONFLICT', /p-a-1/);
    expect(() => checkRequestedAddress('n', subnet, gateway, ip('10.1.0.3'), undefined)).not.toThrow();
  });
});
