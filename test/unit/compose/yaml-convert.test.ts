import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { YamlConverter, emptyCollected } from '../../../src/compose/yaml-convert.js';
import { failure as errorOf } from '../../support/compose.js';

function converterFor(text: string, maxNodes = 1000) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { merge: true, lineCounter });
  return { converter: new YamlConverter({ doc, text, file: '/f.yaml', lineCounter, maxNodes }), doc };
}


describe('YamlConverter', () => {
  it('converts a tree and collects positions by path', () => {
    const { converter, doc } = converterFor('a:\n  - x\n  - {b: 1}\n');
    const out = emptyCollected();
    expect(converter.convert(doc.contents, [], out)).toEqual({ a: ['x', { b: 1 }] });
    expect(out.positions).toEqual([
      [['a'], { file: '/f.yaml', line: 1, column: 1 }],
      [['a', 0], { file: '/f.yaml', line: 2, column: 5 }],
      [['a', 1], { file: '/f.yaml', line: 3, column: 5 }],
      [['a', 1, 'b'], { file: '/f.yaml', line: 3, column: 6 }],
    ]);
  });

  it('records paths under the path it is given', () => {
    const { converter, doc } = converterFor('k: v\n');
    const out = emptyCollected();
    converter.convert(doc.contents, ['services', 'web'], out);
    expect(out.positions.map(([path]) => path)).toEqual([['services', 'web', 'k']]);
  });

  it('stops when aliases expand past the node budget', () => {
    const text = 'a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n';
    const big = converterFor(text, 1000);
    expect((big.converter.convert(big.doc.contents, [], emptyCollected()) as { b: unknown[] }).b).toHaveLength(10);
    const small = converterFor(text, 50);
    const err = errorOf(() => small.converter.convert(small.doc.contents, [], emptyCollected()));
    expect(err.code).toBe('COMPOSE_YAML');
    expect(err.message).toContain('excessive aliasing');
  });

  it('rejects an alias inside its own anchor', () => {
    const { converter, doc } = converterFor('a: &a\n  b: *a\n');
    const err = errorOf(() => converter.convert(doc.contents, [], emptyCollected()));
    expect(err.message).toBe('alias *a refers to itself');
    expect(err.location).toEqual({ file: '/f.yaml', line: 2, column: 6 });
  });

  it('resolves an alias to the latest anchor of that name before it', () => {
    const { converter, doc } = converterFor('a: &x 1\nb: *x\nc: &x 2\nd: *x\n');
    expect(converter.convert(doc.contents, [], emptyCollected())).toEqual({ a: 1, b: 1, c: 2, d: 2 });
  });
});
