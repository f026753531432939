import { dirname, basename } from 'node:path';
import { TscError } from '../errors/index.js';
import type { Project } from './model.js';
import type { ComposePath, Dict, Lookup, ParsedFile, WarningSink } from './types.js';
import { isDict } from './types.js';
import { discoverFiles } from './discover.js';
import { resolveVariables, lookupOf } from './environment.js';
import { parseComposeYaml } from './yaml-stage.js';
import { interpolate } from './interpolate.js';
import { castTypedValues } from './typed-values.js';
import { validateSchema } from './validate.js';
import { applyExtends } from './extends.js';
import { applyInclude, type IncludeRequest } from './include.js';
import { toCanonical } from './canonical/index.js';
import { mergeDicts } from './merge/index.js';
import { applyDefaults } from './defaults.js';
import { applyProfiles, selectServices } from './profiles.js';
import { checkConsistency } from './consistency.js';
import { buildGraph, type DependencyGraph } from './graph.js';
import { resolveProjectName } from './project-name.js';
import { resolveBuildArgs, resolveServiceEnvironment } from './service-environment.js';
import { withoutUnusedResources } from './unused-resources.js';
import { SourceMap } from './source-map.js';
import { nodeFileSource, type FileSource } from './file-source.js';

export interface LoadOptions {
  workingDir: string;
  /** `-f` files in order; `-` is standard input. */
  files?: string[];
  projectDirectory?: string;
  /** `-p`. */
  projectName?: string;
  /** `--env-file`, repeatable; replaces `.env`. */
  envFiles?: string[];
  /** `--profile`, repeatable; defaults to `COMPOSE_PROFILES`. */
  profiles?: string[];
  /** Services named on the command line: they activate their own profiles. */
  services?: string[];
  /** The process environment; it wins over `.env`. */
  osEnv: Record<string, string>;
  homeDir?: string;
  interpolate?: boolean;
  consistency?: boolean;
  /** Resolve `env_file` into `environment` (as `config` and `up` do). */
  resolveEnvironment?: boolean;
  onWarning?: WarningSink;
  fs?: FileSource;
  /** The chain of files including this project, for include cycle detection. */
  includeChain?: string[];
  /** Keep networks, volumes, secrets and configs no service uses (`--all-resources`). */
  allResources?: boolean;
}

export interface LoadedProject {
  project: Project;
  graph: DependencyGraph;
  files: string[];
  projectDir: string;
  /** The variables interpolation saw: `.env` / `--env-file` values under the OS environment. */
  variables: Record<string, string>;
  /** Every parsed file before interpolation, for `config --variables`. */
  rawFiles: ParsedFile[];
  sources: SourceMap;
}

/** Loads a project as `docker compose` does: discover → per file stages → merge → project stages. */
export function loadProject(options: LoadOptions): LoadedProject {
  const fs = options.fs ?? nodeFileSource();
  const warn = onceWarnings(options.onWarning);
  const firstDir = options.projectDirectory ?? options.workingDir;
  let env = resolveVariables({ osEnv: options.osEnv, projectDir: firstDir, workingDir: options.workingDir, envFiles: options.envFiles, readFile: fs.readFile, onWarning: warn });
  const discovered = discoverFiles({
    workingDir: options.workingDir,
    files: options.files,
    projectDirectory: options.projectDirectory,
    lookup: lookupOf(env.variables),
    exists: fs.exists,
  });
  const projectDir = discovered.projectDir;
  for (const message of discovered.warnings) warn({ code: 'MULTIPLE_CONFIG_FILES', message });
  if (projectDir !== firstDir && options.envFiles === undefined) {
    env = resolveVariables({ osEnv: options.osEnv, projectDir, workingDir: options.workingDir, readFile: fs.readFile, onWarning: warn });
  }
  const parsed = discovered.files.map((file) => parseFile(file, fs));
  const name = projectNameOf(options, parsed, env.variables, projectDir);
  const variables = { COMPOSE_PROJECT_NAME: name, ...env.variables };
  const lookup = lookupOf(variables);
  const sources = new SourceMap();
  const seen = options.includeChain ?? [];

  let merged: Dict = {};
  for (const file of parsed) {
    sources.add(file.positions);
    const data = runFileStages(file, { lookup, options, warn, fs, projectDir, seen, sources, envFiles: env.files, variables });
    merged = mergeDicts(merged, data, { resets: file.resets, overrides: file.overrides });
  }

  const project = finishProject(merged, { name, projectDir, options, lookup, fs, sources });
  const graph = locateErrors(() => buildGraph(project), sources);
  return { project, graph, files: discovered.files, projectDir, variables, rawFiles: parsed, sources };
}

interface StageContext {
  lookup: Lookup;
  options: LoadOptions;
  warn: WarningSink;
  fs: FileSource;
  projectDir: string;
  seen: string[];
  sources: SourceMap;
  envFiles: string[];
  variables: Record<string, string>;
}

function parseFile(file: string, fs: FileSource): ParsedFile {
  const text = file === '-' ? fs.readStdin() : fs.readFile(file);
  if (text === undefined) {
    throw new TscError('COMPOSE_FILE_NOT_FOUND', `open ${file}: no such file or directory`, {
      hint: 'check the path given with -f or COMPOSE_FILE',
    });
  }
  return parseComposeYaml(text, file);
}

/** interpolate (with typed values) → validate → extends → include → canonical, for one file. */
function runFileStages(file: ParsedFile, ctx: StageContext): Dict {
  let data = file.data;
  if (ctx.options.interpolate !== false) {
    data = interpolate(data, ctx.lookup, { file: file.path, positions: file.positions, onWarning: ctx.warn });
    data = castTypedValues(data, { file: file.path, positions: file.positions, onWarning: ctx.warn });
  }
  validateSchema({ path: file.path, data, positions: file.positions });
  const fileDir = file.path === '-' ? ctx.options.workingDir : dirname(file.path);
  const loadOther = (path: string): Dict => {
    const other = parseFile(path, ctx.fs);
    ctx.sources.add(other.positions);
    const otherData = ctx.options.interpolate === false
      ? other.data
      : castTypedValues(
        interpolate(other.data, ctx.lookup, { file: other.path, positions: other.positions, onWarning: ctx.warn }),
        { file: other.path, positions: other.positions, onWarning: ctx.warn },
      );
    validateSchema({ path: other.path, data: otherData, positions: other.positions });
    return otherData;
  };
  data = locateErrors(() => applyExtends(data, { file: file.path, workingDir: fileDir, load: loadOther }), file.positions, file.path);
  if (data.include !== undefined) {
    const withIncludes = data;
    data = locateErrors(() => applyInclude(withIncludes, {
      file: file.path,
      projectDir: ctx.projectDir,
      seen: ctx.seen,
      exists: ctx.fs.exists,
      loadProject: (request) => loadIncluded(request, ctx),
    }), file.positions, file.path);
  }
  if (data.version !== undefined) {
    ctx.warn({
      code: 'OBSOLETE_VERSION',
      message: `${file.path}: the attribute \`version\` is obsolete, it will be ignored, please remove it to avoid potential confusion`,
      location: file.positions.locate(['version']),
    });
    const { version: _version, ...rest } = data;
    data = rest;
  }
  return locateErrors(() => toCanonical(data, file.path), file.positions, file.path);
}

/** An included project is loaded whole, with its own project dir and env files, under our name. */
function loadIncluded(request: IncludeRequest, ctx: StageContext): Dict {
  const osEnv = ctx.options.osEnv;
  const included = loadProject({
    ...ctx.options,
    workingDir: request.projectDir,
    projectDirectory: request.projectDir,
    files: request.files,
    envFiles: request.envFiles.length > 0 ? request.envFiles : undefined,
    // The including project's variables (its OS environment and .env) win over the included env files.
    osEnv: { ...ctx.variables, ...osEnv },
    profiles: ['*'],
    services: undefined,
    consistency: false,
    resolveEnvironment: false,
    allResources: true,
    fs: ctx.fs,
    includeChain: request.seen,
  });
  return included.project as unknown as Dict;
}

function finishProject(
  merged: Dict,
  ctx: { name: string; projectDir: string; options: LoadOptions; lookup: Lookup; fs: FileSource; sources: SourceMap },
): Project {
  const { options, sources } = ctx;
  return locateErrors(() => {
    let project = applyDefaults(merged, { projectName: ctx.name, projectDir: ctx.projectDir, homeDir: options.homeDir }) as unknown as Project;
    const active = options.profiles ?? splitList(ctx.lookup('COMPOSE_PROFILES'));
    project = applyProfiles(project, { active, services: options.services });
    if (options.consistency !== false) checkConsistency(project);
    if (options.services !== undefined && options.services.length > 0) {
      project = selectServices(project, options.services, { withDependencies: true });
    }
    if (options.resolveEnvironment !== false) {
      project = resolveServiceEnvironment(project, { lookup: ctx.lookup, readFile: ctx.fs.readFile });
    }
    project = resolveBuildArgs(project, ctx.lookup);
    return options.allResources === true ? project : withoutUnusedResources(project);
  }, sources);
}

function projectNameOf(options: LoadOptions, parsed: ParsedFile[], variables: Record<string, string>, projectDir: string): string {
  // `name:` may itself use variables; the last file that sets it wins, as with any scalar.
  let nameField: unknown;
  const lookup = lookupOf(variables);
  for (const file of parsed) {
    if (file.data.name === undefined) continue;
    nameField = options.interpolate === false
      ? file.data.name
      : interpolate({ name: file.data.name }, lookup, { file: file.path, positions: file.positions }).name;
  }
  return resolveProjectName({ flag: options.projectName, lookup, nameField, projectDir: projectDir || basename(projectDir) });
}

function splitList(value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function onceWarnings(sink: WarningSink | undefined): WarningSink {
  const said = new Set<string>();
  return (warning) => {
    if (said.has(warning.message)) return;
    said.add(warning.message);
    sink?.(warning);
  };
}

/** Gives a TscError that has a compose path but no location the file:line:col of that path. */
function locateErrors<T>(run: () => T, positions: { locate(path: ComposePath): ReturnType<SourceMap['locate']> }, file?: string): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof TscError && err.location === undefined && err.path !== undefined) {
      const location = positions.locate(parsePath(err.path)) ?? (file === undefined ? undefined : { file });
      throw err.at(location);
    }
    throw err;
  }
}

/** `services.web.ports[0]` → `['services', 'web', 'ports', 0]`. */
export function parsePath(path: string): ComposePath {
  const out: Array<string | number> = [];
  for (const part of path.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) {
      out.push(part);
      continue;
    }
    if (m[1] !== '') out.push(m[1] as string);
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(index[1]));
  }
  return out;
}

export { isDict };
