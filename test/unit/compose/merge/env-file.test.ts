import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging env_file', () => {
  it('keeps one entry per path, the later one winning', () => {
    const service = mergedService(web('image: a\nenv_file: [a.env, b.env]'), web('env_file: [{path: a.env, required: false}, c.env]'));
    expect(service.env_file).toEqual([
      { path: 'a.env', required: false },
      { path: 'b.env', required: true },
      { path: 'c.env', required: true },
    ]);
  });
});
