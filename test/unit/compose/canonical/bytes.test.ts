import { describe, expect, it } from 'vitest';
import { parseBytes } from '../../../../src/compose/canonical/bytes.js';
import { canonicalService, thrownBy } from './helpers.js';

describe('byte sizes', () => {
  it.each([
    ['1024', 1024],
    ['1k', 1024],
    ['1kb', 1024],
    ['64KiB', 65536],
    ['512m', 512 * 1024 ** 2],
    ['1g', 1024 ** 3],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2 GB', 2 * 1024 ** 3],
  ])('%s is %d bytes', (input, bytes) => {
    expect(parseBytes(input)).toBe(bytes);
  });

  it.each(['', 'lots', '1x', '-1g'])('%j is not a size', (input) => {
    expect(parseBytes(input)).toBeUndefined();
  });

  it('prints memory and shm sizes as a decimal string, numbers included', () => {
    const web = canonicalService(`services:
  web:
    image: x
    mem_limit: 1g
    memswap_limit: -1
    mem_reservation: 1073741824
    shm_size: 64m
    deploy: {resources: {limits: {memory: 512M, cpus: "0.5"}, reservations: {memory: 128m}}}
`);
    expect(web.mem_limit).toBe('1073741824');
    expect(web.memswap_limit).toBe('-1');
    expect(web.mem_reservation).toBe('1073741824');
    expect(web.shm_size).toBe(String(64 * 1024 ** 2));
    expect(web.deploy).toEqual({ resources: { limits: { memory: String(512 * 1024 ** 2), cpus: 0.5 }, reservations: { memory: String(128 * 1024 ** 2) } } });
  });

  it('rejects a size it cannot read', () => {
    const err = thrownBy(() => canonicalService('services:\n  web:\n    image: x\n    mem_limit: huge\n'));
    expect(err.path).toBe('services.web.mem_limit');
    expect(err.hint).toContain('512m');
  });
});

describe('numeric attributes', () => {
  it('turns numeric strings into numbers and leaves other values', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    cpus: "1.5"\n    cpu_shares: "512"\n    pids_limit: 100\n    scale: "2"\n');
    expect([web.cpus, web.cpu_shares, web.pids_limit, web.scale]).toEqual([1.5, 512, 100, 2]);
  });
});
