import { parse } from 'yaml';
import { expect } from 'vitest';
import { toCanonical } from '../../../../src/compose/canonical/index.js';
import { TscError } from '../../../../src/errors/index.js';
import type { Dict } from '../../../../src/compose/types.js';

/** The canonical form of a whole inline compose document. */
export function canonical(yaml: string): Dict {
  return toCanonical(parse(yaml) as Dict, 'compose.yaml');
}

/** The canonical form of one service of an inline compose document. */
export function canonicalService(yaml: string, name = 'web'): Dict {
  return (canonical(yaml).services as Dict)[name] as Dict;
}

/** The TscError a call throws (fails the test if it throws nothing or something else). */
export function thrownBy(run: () => unknown): TscError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TscError);
    return err as TscError;
  }
  throw new Error('expected an error, got none');
}
