import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

const devices = (value: string): unknown => canonicalService(`services:\n  web:\n    image: x\n    devices: ${value}\n`).devices;

describe('canonical devices', () => {
  it('expands SOURCE[:TARGET[:PERMISSIONS]] with rwm by default', () => {
    expect(devices('["/dev/ttyUSB0", "/dev/sda:/dev/xvda", "/dev/fuse:/dev/fuse:r"]')).toEqual([
      { source: '/dev/ttyUSB0', target: '/dev/ttyUSB0', permissions: 'rwm' },
      { source: '/dev/sda', target: '/dev/xvda', permissions: 'rwm' },
      { source: '/dev/fuse', target: '/dev/fuse', permissions: 'r' },
    ]);
  });

  it('keeps the long form and rejects a confusing mapping', () => {
    expect(devices('[{source: /dev/a, target: /dev/b}]')).toEqual([{ source: '/dev/a', target: '/dev/b' }]);
    const err = thrownBy(() => devices('["/dev/a:/dev/b:rw:extra"]'));
    expect(err.path).toBe('services.web.devices[0]');
    expect(err.hint).toContain('long syntax');
  });
});
