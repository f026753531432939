import { join, resolve } from 'node:path';
import { TscError } from '../errors/index.js';
import { defineKey } from './define-key.js';
import { parseDotenv } from './dotenv.js';
import type { Lookup, WarningSink } from './types.js';

export interface VariableSources {
  /** The process environment. */
  osEnv: Record<string, string>;
  /** Where the default `.env` is looked for. */
  projectDir: string;
  /** `--env-file` values in order (later files win); when given, the default `.env` is not read. */
  envFiles?: string[];
  /** What relative `--env-file` paths are relative to; the project dir when absent. */
  workingDir?: string;
  /** The file's text, or `undefined` when it does not exist. */
  readFile: (path: string) => string | undefined;
  onWarning?: WarningSink;
}

export interface ResolvedVariables {
  /** Every variable available to interpolation: the env files' values overlaid by the OS environment. */
  variables: Record<string, string>;
  /** The env files that were read, absolute, in order. */
  files: string[];
}

/**
 * The variables a project is interpolated with, as Compose gathers them: the `--env-file`s (or else
 * the project's `.env`, which may be absent), each parsed with the OS environment and the files read
 * before it available to `${VAR}`; then the OS environment on top, so it always wins.
 */
export function resolveVariables(input: VariableSources): ResolvedVariables {
  const explicit = input.envFiles !== undefined && input.envFiles.length > 0;
  const base = input.workingDir ?? input.projectDir;
  const candidates = explicit
    ? (input.envFiles ?? []).map((file) => resolve(base, file))
    : [join(input.projectDir, '.env')];
  const fromOs = lookupOf(input.osEnv);
  const fromFiles: Record<string, string> = {};
  const fromEarlierFiles = lookupOf(fromFiles);
  const files: string[] = [];

  for (const path of candidates) {
    const text = input.readFile(path);
    if (text === undefined) {
      if (!explicit) continue;
      throw new TscError('COMPOSE_ENV_FILE', `couldn't find env file: ${path}`, {
        hint: 'check the --env-file path; a relative path is relative to the current directory',
        location: { file: path },
      });
    }
    const lookup: Lookup = (name) => fromOs(name) ?? fromEarlierFiles(name);
    const parsed = parseDotenv(text, path, lookup, { onWarning: input.onWarning });
    for (const [key, value] of Object.entries(parsed)) defineKey(fromFiles, key, value);
    files.push(path);
  }

  const variables: Record<string, string> = {};
  for (const [key, value] of Object.entries(fromFiles)) defineKey(variables, key, value);
  for (const [key, value] of Object.entries(input.osEnv)) defineKey(variables, key, value);
  return { variables, files };
}

/** A Lookup over a plain record; only the record's own keys count. */
export function lookupOf(variables: Readonly<Record<string, string>>): Lookup {
  return (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined);
}
