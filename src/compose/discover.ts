import { dirname, join, resolve } from 'node:path';
import { TscError } from '../errors/index.js';
import type { Lookup } from './types.js';

/** Names looked for when no file is given, in order of preference. */
export const COMPOSE_FILE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'] as const;

/** Override names looked for beside the file found, in order of preference. */
export const OVERRIDE_FILE_NAMES = [
  'compose.override.yml',
  'compose.override.yaml',
  'docker-compose.override.yml',
  'docker-compose.override.yaml',
] as const;

/** The path that stands for standard input. */
export const STDIN = '-';

export interface DiscoverInput {
  /** The current directory: relative paths are relative to it. */
  workingDir: string;
  /** `-f` values in order. */
  files?: string[];
  /** `--project-directory`. */
  projectDirectory?: string;
  /** Variables (OS environment and `.env`) for `COMPOSE_FILE` and `COMPOSE_PATH_SEPARATOR`. */
  lookup: Lookup;
  exists: (path: string) => boolean;
}

export interface DiscoveredFiles {
  /** Absolute paths, or `-` for standard input, in merge order. */
  files: string[];
  /** Absolute. */
  projectDir: string;
  /** Messages for the user, such as several candidate files in one directory. */
  warnings: string[];
}

/**
 * Which compose files make up the project, as Compose decides: the `-f` files, else `COMPOSE_FILE`,
 * else the first of {@link COMPOSE_FILE_NAMES} found in the project directory (or the working
 * directory) or the nearest parent that has one, plus an override file beside it. The project
 * directory is `--project-directory`, else the directory of the first file that is not stdin.
 */
export function discoverFiles(input: DiscoverInput): DiscoveredFiles {
  const projectDirectory = input.projectDirectory === undefined ? undefined : resolve(input.workingDir, input.projectDirectory);
  const warnings: string[] = [];
  let files = explicitFiles(input);
  if (files.length > 0) {
    files = files.map((file) => (file === STDIN ? file : resolve(input.workingDir, file)));
    for (const file of files) {
      if (file !== STDIN && !input.exists(file)) {
        throw new TscError('COMPOSE_FILE_NOT_FOUND', `compose file not found: ${file}`, {
          hint: 'check the -f / COMPOSE_FILE path; a relative path is relative to the current directory',
          location: { file },
        });
      }
    }
  } else {
    files = search(projectDirectory ?? input.workingDir, input.exists, warnings);
  }
  const first = files.find((file) => file !== STDIN);
  const projectDir = projectDirectory ?? (first === undefined ? input.workingDir : dirname(first));
  return { files, projectDir, warnings };
}

function explicitFiles(input: DiscoverInput): string[] {
  if (input.files !== undefined && input.files.length > 0) return input.files;
  const fromEnv = input.lookup('COMPOSE_FILE');
  if (fromEnv === undefined || fromEnv === '') return [];
  const separator = input.lookup('COMPOSE_PATH_SEPARATOR') || ':';
  return fromEnv.split(separator).filter((file) => file !== '');
}

function search(start: string, exists: (path: string) => boolean, warnings: string[]): string[] {
  for (let dir = start; ; dir = dirname(dir)) {
    const found = COMPOSE_FILE_NAMES.map((name) => join(dir, name)).filter(exists);
    const [winner] = found;
    if (winner !== undefined) {
      if (found.length > 1) warnings.push(`Found multiple config files with supported names: ${found.join(', ')}; using ${winner}`);
      const overrides = OVERRIDE_FILE_NAMES.map((name) => join(dir, name)).filter(exists);
      const [override] = overrides;
      if (override === undefined) return [winner];
      if (overrides.length > 1) warnings.push(`Found multiple override files with supported names: ${overrides.join(', ')}; using ${override}`);
      return [winner, override];
    }
    if (dirname(dir) === dir) break;
  }
  throw new TscError('COMPOSE_FILE_NOT_FOUND', 'no configuration file provided: not found', {
    hint: `create a compose.yaml in ${start} or a parent directory, or name the file with -f`,
  });
}
