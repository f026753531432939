import { describe, expect, it } from 'vitest';
import { mergedService, web } from './helpers.js';

describe('merging service volumes', () => {
  it('replaces the volume mounted on the same target (the spec example)', () => {
    expect(mergedService(web('image: a\nvolumes: ["foo:/work"]'), web('volumes: ["bar:/work"]')).volumes).toEqual([
      { type: 'volume', source: 'bar', target: '/work', volume: {} },
    ]);
  });

  it('keeps the position of the replaced mount and appends new targets', () => {
    const service = mergedService(web('image: a\nvolumes: ["a:/a", "./b:/b", "c:/c"]'), web('volumes: ["./b2:/b:ro", "d:/d"]'));
    expect((service.volumes as Array<{ target: string; source: string }>).map((v) => `${v.source}:${v.target}`)).toEqual(['a:/a', './b2:/b', 'c:/c', 'd:/d']);
  });

  it('compares a short mount with a long one by their target', () => {
    const service = mergedService(web('image: a\nvolumes: ["./src:/app"]'), web('volumes: [{type: bind, source: ./other, target: /app, read_only: true}]'));
    expect(service.volumes).toEqual([{ type: 'bind', source: './other', target: '/app', read_only: true }]);
  });
});
