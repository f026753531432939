import { toCanonical } from '../../src/compose/canonical/index.js';
import type { Project } from '../../src/compose/model.js';
import { parseComposeYaml } from '../../src/compose/yaml-stage.js';
import { TscError } from '../../src/errors/index.js';

/** A canonical project named `p` from inline YAML, read as the loader reads it, as the project stages receive it. */
export function project(text: string): Project {
  const data = toCanonical(parseComposeYaml(text, '/p/compose.yaml').data, '/p/compose.yaml');
  return { name: 'p', ...data, services: (data.services ?? {}) as Project['services'] } as Project;
}

/** The TscError `run` throws; fails the test when it throws nothing or something else. */
export function failure(run: () => unknown): TscError {
  try {
    run();
  } catch (err) {
    if (err instanceof TscError) return err;
    throw err;
  }
  throw new Error('expected a TscError');
}
