import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging key-value attributes', () => {
  it.each(['environment', 'labels', 'annotations', 'sysctls'])('merges %s by key, whatever form each file uses', (attr) => {
    const service = mergedService(web(`image: a\n${attr}: [A=1, B=2]`), web(`${attr}: {B: "3", C: "4"}`));
    expect(service[attr]).toEqual({ A: '1', B: '3', C: '4' });
  });

  it('merges build args by key', () => {
    const service = mergedService(web('build: {context: ., args: [V=1, W=2]}'), web('build: {args: {W: "3"}, target: prod}'));
    expect(service.build).toEqual({ context: '.', args: { V: '1', W: '3' }, target: 'prod' });
  });

  it('lets a build path in one file be merged with a build mapping in the other', () => {
    const service = mergedService(web('build: ./app'), web('build: {dockerfile: Dockerfile.dev}'));
    expect(service.build).toEqual({ context: './app', dockerfile: 'Dockerfile.dev' });
  });
});
