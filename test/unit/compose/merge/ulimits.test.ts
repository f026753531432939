import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging ulimits', () => {
  it('merges ulimits by name, the later limits winning', () => {
    const service = mergedService(web('image: a\nulimits: {nproc: 1024, nofile: {soft: 10, hard: 20}}'), web('ulimits: {nofile: 4096, core: 0}'));
    expect(service.ulimits).toEqual({
      nproc: 1024,
      nofile: 4096,
      core: 0,
    });
  });
});
