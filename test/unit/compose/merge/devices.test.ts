import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging devices', () => {
  it('keeps one device per target, the later one winning', () => {
    const service = mergedService(web('image: a\ndevices: ["/dev/a:/dev/x", "/dev/b"]'), web('devices: ["/dev/c:/dev/x:r", "/dev/b"]'));
    expect(service.devices).toEqual([
      { source: '/dev/c', target: '/dev/x', permissions: 'r' },
      { source: '/dev/b', target: '/dev/b', permissions: 'rwm' },
    ]);
  });
});
