import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging depends_on', () => {
  it('merges dependencies by service name, list and mapping forms alike', () => {
    const service = mergedService(
      web('image: a\ndepends_on: {db: {condition: service_healthy, restart: true}}'),
      web('depends_on: [cache]'),
    );
    expect(service.depends_on).toEqual({
      db: { condition: 'service_healthy', restart: true, required: true },
      cache: { condition: 'service_started', required: true },
    });
  });

  it('lets the override change the condition of a dependency', () => {
    const service = mergedService(web('image: a\ndepends_on: [db]'), web('depends_on: {db: {condition: service_healthy}}'));
    expect(service.depends_on).toEqual({ db: { condition: 'service_healthy', required: true } });
  });
});
