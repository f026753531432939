import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging service networks', () => {
  it('merges networks by name, keeping settings a null entry does not give', () => {
    const service = mergedService(web('image: a\nnetworks:\n  front: {aliases: [w]}\n  back:'), web('networks: [front, extra]'));
    expect(service.networks).toEqual({ front: { aliases: ['w'] }, back: null, extra: null });
  });

  it('adds settings to a network the base attached without any', () => {
    const service = mergedService(web('image: a\nnetworks: [front]'), web('networks:\n  front: {ipv4_address: 10.0.0.5}'));
    expect(service.networks).toEqual({ front: { ipv4_address: '10.0.0.5' } });
  });
});
