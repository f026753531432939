import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { TscError } from '../errors/index.js';
import { formatPath, isDict, type Dict } from './types.js';

/** What the loader is asked to load for one `include` entry. */
export interface IncludeRequest {
  /** Absolute paths: the included file, then its overrides. */
  files: string[];
  /** The included project's own directory, against which its relative paths resolve. */
  projectDir: string;
  /** Absolute `env_file`s for its interpolation; empty means its project directory's `.env`. */
  envFiles: string[];
  /** The chain of files being included, ending with the included file; pass it on as `seen`. */
  seen: string[];
}

export interface IncludeContext {
  /** The file whose `include` this is. */
  file: string;
  /** Its project directory: `include` paths, `project_directory` and `env_file` are relative to it. */
  projectDir: string;
  /** The files that include this one, outermost first (this file may be last). */
  seen: string[];
  /** Loads an included project whole and returns its canonical model, paths resolved. */
  loadProject: (request: IncludeRequest) => Dict;
  /** Whether a file exists; when given, a missing file is reported before loading. */
  exists?: (path: string) => boolean;
}

const RESOURCES = ['services', 'networks', 'volumes', 'secrets', 'configs', 'models'] as const;

/**
 * The top-level `include`: each entry is loaded as a project of its own, and its services,
 * networks, volumes, secrets, configs and models are added to `data`. The same resource defined
 * twice identically (an included file reached twice) is kept once; defined differently it is
 * `COMPOSE_INCLUDE`, naming both files. Returns `data` without `include`; `data` is not modified.
 */
export function applyInclude(data: Dict, context: IncludeContext): Dict {
  const { include, ...rest } = data;
  if (include === undefined || include === null) return rest;
  const out: Dict = { ...rest };
  const origins = new Map<string, string>();
  for (const key of RESOURCES) {
    const own = out[key];
    if (!isDict(own)) continue;
    out[key] = { ...own };
    for (const name of Object.keys(own)) origins.set(formatPath([key, name]), context.file);
  }
  entriesOf(include, context).forEach((entry, index) => {
    const request = requestFor(entry, index, context);
    const included = load(request, index, context);
    const source = request.files[0] ?? '';
    for (const key of RESOURCES) {
      const resources = included[key];
      if (!isDict(resources)) continue;
      const target: Dict = isDict(out[key]) ? out[key] : {};
      for (const [name, definition] of Object.entries(resources)) {
        const at = formatPath([key, name]);
        if (name in target) {
          if (sameValue(target[name], definition)) continue;
          throw conflict(at, origins.get(at) ?? context.file, source, context);
        }
        target[name] = definition;
        origins.set(at, source);
      }
      out[key] = target;
    }
  });
  return out;
}

interface IncludeEntry {
  paths: string[];
  projectDirectory?: string;
  envFiles: string[];
}

function entriesOf(include: unknown, context: IncludeContext): IncludeEntry[] {
  if (!Array.isArray(include)) {
    throw new TscError('COMPOSE_INCLUDE', `include in ${context.file} must be a list`, {
      path: 'include',
      hint: 'write include: [other/compose.yaml] or include: [{path: other/compose.yaml}]',
    });
  }
  return include.map((entry, index): IncludeEntry => {
    if (typeof entry === 'string') return { paths: [entry], envFiles: [] };
    const paths = isDict(entry) ? stringList(entry.path) : undefined;
    const envFiles = isDict(entry) ? stringList(entry.env_file ?? []) : undefined;
    const projectDirectory = isDict(entry) ? entry.project_directory : undefined;
    if (paths === undefined || paths.length === 0 || envFiles === undefined
      || (projectDirectory !== undefined && typeof projectDirectory !== 'string')) {
      throw new TscError('COMPOSE_INCLUDE', `include[${index}] in ${context.file} is not a valid include entry`, {
        path: formatPath(['include', index]),
        hint: 'give a path, or {path: FILE or [FILES], project_directory: DIR, env_file: FILE or [FILES]}',
      });
    }
    return projectDirectory === undefined ? { paths, envFiles } : { paths, envFiles, projectDirectory };
  });
}

function requestFor(entry: IncludeEntry, index: number, context: IncludeContext): IncludeRequest {
  const files = entry.paths.map((path) => resolve(context.projectDir, path));
  const chain = context.seen.includes(context.file) ? context.seen : [...context.seen, context.file];
  for (const file of files) {
    const at = chain.indexOf(file);
    if (at >= 0) {
      throw new TscError('COMPOSE_INCLUDE', `include cycle detected: ${[...chain.slice(at), file].join(' -> ')}`, {
        path: formatPath(['include', index]),
        hint: 'a file cannot include itself, directly or through the files it includes; remove one of these include entries',
      });
    }
    if (context.exists !== undefined && !context.exists(file)) {
      throw new TscError('COMPOSE_FILE_NOT_FOUND', `include: open ${file}: no such file or directory`, {
        path: formatPath(['include', index]),
        hint: `check include[${index}] in ${context.file}; relative paths start from ${context.projectDir}`,
      });
    }
  }
  const envFiles = entry.envFiles.map((path) => resolve(context.projectDir, path));
  for (const file of envFiles) {
    if (context.exists !== undefined && !context.exists(file)) {
      throw new TscError('COMPOSE_ENV_FILE', `include: env file ${file} not found`, {
        path: formatPath(['include', index, 'env_file']),
        hint: `check include[${index}].env_file in ${context.file}; relative paths start from ${context.projectDir}`,
      });
    }
  }
  const first = files[0] as string;
  const projectDir = entry.projectDirectory === undefined ? dirname(first) : resolve(context.projectDir, entry.projectDirectory);
  return { files, projectDir, envFiles, seen: [...chain, first] };
}

function load(request: IncludeRequest, index: number, context: IncludeContext): Dict {
  try {
    return context.loadProject(request);
  } catch (err) {
    if (err instanceof TscError && err.code === 'COMPOSE_FILE_NOT_FOUND' && err.path === undefined) {
      throw err.wrap(`include[${index}] of ${context.file}`, {
        path: formatPath(['include', index]),
        hint: `check include[${index}] in ${context.file}; relative paths start from ${context.projectDir}`,
      });
    }
    throw err;
  }
}

function conflict(at: string, existing: string, included: string, context: IncludeContext): TscError {
  const rel = isAbsolute(included) ? relative(context.projectDir, included) : included;
  return new TscError('COMPOSE_INCLUDE', `${at} conflicts with imported resource: defined in ${existing} and in ${included}`, {
    path: at,
    hint: `the file that includes a project cannot redefine its resources: rename one of them, or change it with an override listed with the included file, e.g. include: [{path: [${rel}, override.yaml]}]`,
  });
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  return undefined;
}

/** Deep equality of plain data, ignoring the order of mapping keys. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (!isDict(a) || !isDict(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && sameValue(a[k], b[k]));
}
