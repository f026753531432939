import { basename } from 'node:path';
import { TscError } from '../errors/index.js';
import type { Lookup } from './types.js';

export interface ProjectNameInput {
  /** `-p` / `--project-name`. */
  flag?: string;
  /** Variables (OS environment and `.env`), for `COMPOSE_PROJECT_NAME`. */
  lookup: Lookup;
  /** The top-level `name:` of the compose files (the last one that sets it), already interpolated. */
  nameField?: unknown;
  projectDir: string;
}

const VALID = /^[a-z0-9][a-z0-9_-]*$/;
const HINT = 'a project name may hold only lowercase letters, digits, dashes and underscores, and must start with a letter or digit';

/**
 * The project name, by Compose's precedence: `-p`, then `COMPOSE_PROJECT_NAME`, then the top-level
 * `name:`, then the project directory's name. `-p` and `COMPOSE_PROJECT_NAME` must already be valid;
 * `name:` and the directory name are normalised first (see {@link normalizeProjectName}), and a
 * `name:` that normalises to nothing is passed over, as Compose does.
 */
export function resolveProjectName(input: ProjectNameInput): string {
  if (input.flag !== undefined && input.flag !== '') return checked(input.flag, 'project name given with -p');
  const fromEnv = input.lookup('COMPOSE_PROJECT_NAME');
  if (fromEnv !== undefined && fromEnv !== '') return checked(fromEnv, 'COMPOSE_PROJECT_NAME');
  // A `name:` that is not a string is left for schema validation to report.
  if (typeof input.nameField === 'string') {
    const fromField = normalizeProjectName(input.nameField);
    if (fromField !== '') return fromField;
  }
  const dir = basename(input.projectDir);
  const fromDir = normalizeProjectName(dir);
  if (fromDir === '') {
    throw new TscError('COMPOSE_PROJECT_NAME', `project name must not be empty: directory name ${JSON.stringify(dir)} has no usable character`, {
      hint: `name the project with -p, COMPOSE_PROJECT_NAME or a top-level name: (${HINT})`,
    });
  }
  return fromDir;
}

/** Compose's normalisation: lowercase, keep only `[a-z0-9_-]`, drop leading `_` and `-`. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

export function isValidProjectName(name: string): boolean {
  return VALID.test(name);
}

function checked(name: string, source: string): string {
  if (isValidProjectName(name)) return name;
  const suggestion = normalizeProjectName(name);
  throw new TscError('COMPOSE_PROJECT_NAME', `invalid ${source}: ${JSON.stringify(name)}`, {
    hint: suggestion === '' ? HINT : `${HINT}, e.g. ${JSON.stringify(suggestion)}`,
  });
}
