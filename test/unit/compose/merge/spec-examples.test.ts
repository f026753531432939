import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../../src/compose/canonical/index.js';
import type { Dict } from '../../../../src/compose/types.js';
import { merged } from './helpers.js';

const SPEC = resolve(import.meta.dirname, '../../../../../shared/corpus/compose-spec');

describe('the merge examples of the Compose specification', () => {
  it('gives the stated result for the !override example (merge-override/expected-merged.yaml)', () => {
    // The spec's base snippet is mis-indented ("app:" at column 0); this is the intended file.
    const base = 'services:\n  app:\n    image: myapp\n    ports:\n      - "8080:80"\n';
    const override = readFileSync(resolve(SPEC, 'merge-override/compose.override.yaml'), 'utf8').replace(/ !override/, '');
    const expected = parse(readFileSync(resolve(SPEC, 'merge-override/expected-merged.yaml'), 'utf8')) as Dict;
    const result = merged(base, override, { resets: [], overrides: [['services', 'app', 'ports']] });
    expect(result).toEqual(toCanonical(expected, 'expected-merged.yaml'));
  });

  it('would publish both ports without !override, as the spec says', () => {
    const base = 'services:\n  app:\n    image: myapp\n    ports:\n      - "8080:80"\n';
    const result = merged(base, 'services:\n  app:\n    ports:\n      - "8443:443"\n');
    expect(((result.services as Dict).app as Dict).ports).toHaveLength(2);
  });
});
