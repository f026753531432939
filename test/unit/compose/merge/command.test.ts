import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging command, entrypoint and healthcheck.test', () => {
  it('replaces the command (the spec example)', () => {
    expect(mergedService(web('image: a\ncommand: ["echo", "foo"]'), web('command: ["echo", "bar"]')).command).toEqual(['echo', 'bar']);
  });

  it('replaces the entrypoint and the healthcheck test but merges the rest of the healthcheck', () => {
    const service = mergedService(
      web('image: a\nentrypoint: /a.sh run\nhealthcheck: {test: [CMD, a], interval: 10s}'),
      web('entrypoint: [/b.sh]\nhealthcheck: {test: b}'),
    );
    expect(service.entrypoint).toEqual(['/b.sh']);
    expect(service.healthcheck).toEqual({ test: ['CMD-SHELL', 'b'], interval: '10s' });
  });

  it('lets an override clear the command with null or an empty list', () => {
    expect(mergedService(web('image: a\ncommand: run'), web('command: null')).command).toBeNull();
    expect(mergedService(web('image: a\ncommand: run'), web('command: []')).command).toEqual([]);
  });
});
