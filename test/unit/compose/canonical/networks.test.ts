import { describe, expect, it } from 'vitest';
import { canonicalService } from './helpers.js';

describe('canonical service networks and models', () => {
  it('turns a list of names into a mapping of null', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    networks: [front, back]\n    models: [llm]\n');
    expect(web.networks).toEqual({ front: null, back: null });
    expect(web.models).toEqual({ llm: null });
  });

  it('keeps the mapping form, with its aliases and driver options', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    networks: {front: {aliases: [w]}, back: null}\n');
    expect(web.networks).toEqual({ front: { aliases: ['w'] }, back: null });
  });
});
