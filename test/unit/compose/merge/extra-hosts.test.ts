import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging extra_hosts', () => {
  it('merges by host and keeps each address once', () => {
    const service = mergedService(web('image: a\nextra_hosts: ["db=10.0.0.2", "api=10.0.0.3"]'), web('extra_hosts: {db: [10.0.0.2, 10.0.0.4], web: 10.0.0.5}'));
    expect(service.extra_hosts).toEqual({ db: ['10.0.0.2', '10.0.0.4'], api: ['10.0.0.3'], web: ['10.0.0.5'] });
  });
});
