import { describe, expect, it } from 'vitest';
import { bridgeMac } from '../../../src/kernel/linux/linux-net.js';

describe('bridgeMac', () => {
  it('gives a bridge a locally administered unicast address of its own, the same for the same name', () => {
    const mac = bridgeMac('tsc-0123456789');
    expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    const first = parseInt(mac.slice(0, 2), 16);
    expect(first & 0x01).toBe(0); // unicast
    expect(first & 0x02).toBe(0x02); // locally administered
    expect(bridgeMac('tsc-0123456789')).toBe(mac);
    expect(bridgeMac('tsc-9876543210')).not.toBe(mac);
  });
});
