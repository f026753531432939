import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../../src/compose/canonical/index.js';
import type { Dict } from '../../../../src/compose/types.js';
import { canonical } from './helpers.js';

const CORPUS = resolve(import.meta.dirname, '../../../../../shared/corpus');

/** Corpus files a loader must accept that need no interpolation and use no custom tags. */
function plainValidFiles(): string[] {
  const rows = readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => line.split('\t'));
  return rows
    .filter(([path, , , , expected]) => expected === 'valid' && /\.ya?ml$/.test(path ?? ''))
    .map(([path]) => path ?? '')
    .filter((path) => !/\$|!reset|!override/.test(readFileSync(join(CORPUS, path), 'utf8')));
}

describe('toCanonical', () => {
  const sample = `
services:
  web:
    image: nginx
    ports: ["8080:80"]
    volumes: ["./src:/app"]
    environment: [A=1]
    x-custom: {ports: ["not a port"]}
x-common:
  ports: ["also not a port"]
networks:
  front:
`;

  it('does not modify its input', () => {
    const input = parse(sample) as Dict;
    const before = structuredClone(input);
    toCanonical(input, 'compose.yaml');
    expect(input).toEqual(before);
  });

  it('gives the same result when run on its own output', () => {
    const once = canonical(sample);
    expect(toCanonical(once, 'compose.yaml')).toEqual(once);
  });

  it('leaves extension fields as written', () => {
    const doc = canonical(sample);
    expect(doc['x-common']).toEqual({ ports: ['also not a port'] });
    expect((doc.services as Dict).web).toMatchObject({ 'x-custom': { ports: ['not a port'] } });
  });

  const files = plainValidFiles();

  it('finds corpus files to expand', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files)('expands %s and is stable on its output', (path) => {
    const data = parse(readFileSync(join(CORPUS, path), 'utf8'), { merge: true }) as Dict;
    const once = toCanonical(data, path);
    expect(toCanonical(once, path)).toEqual(once);
    for (const service of Object.values((once.services ?? {}) as Dict)) {
      if (service === null) continue;
      const s = service as Dict;
      if (s.ports !== undefined) expect((s.ports as Dict[]).every((p) => typeof p.target === 'number')).toBe(true);
      if (s.volumes !== undefined) expect((s.volumes as Dict[]).every((v) => typeof v.type === 'string')).toBe(true);
      if (s.environment !== undefined) expect(Array.isArray(s.environment)).toBe(false);
    }
  });
});
