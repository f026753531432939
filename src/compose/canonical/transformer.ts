import type { ComposePath } from '../types.js';

/** Where a transformer runs: the compose path of the value and the file it came from. */
export interface Site {
  path: ComposePath;
  file: string;
}

/**
 * Expands one attribute to its canonical long form. It gets the value as written (or as an earlier
 * pass left it) and must return the same result when given its own output, so the stage can run on
 * data that is already canonical (extends canonicalises services before the file is).
 */
export type Transformer = (value: unknown, site: Site) => unknown;
