import { TscError } from '../errors/index.js';
import type { Project, ServiceConfig } from './model.js';
import type { Lookup } from './types.js';
import { parseDotenv } from './dotenv.js';

export interface EnvironmentSources {
  lookup: Lookup;
  readFile: (path: string) => string | undefined;
}

/**
 * Folds each service's `env_file`s into its `environment`, as Compose does before it prints or runs
 * a service: env files in order (later wins), then `environment` over them; an entry without a value
 * takes the variable's value when it is set, and stays null otherwise.
 */
export function resolveServiceEnvironment(project: Project, sources: EnvironmentSources): Project {
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(project.services)) {
    services[name] = resolveOne(name, service, sources);
  }
  return { ...project, services };
}

function resolveOne(name: string, service: ServiceConfig, sources: EnvironmentSources): ServiceConfig {
  const fromFiles: Record<string, string | null> = {};
  (service.env_file ?? []).forEach((entry, index) => {
    const text = sources.readFile(entry.path);
    if (text === undefined) {
      if (!entry.required) return;
      throw new TscError('COMPOSE_ENV_FILE', `env file ${entry.path} not found`, {
        path: `services.${name}.env_file[${index}]`,
        hint: `create the file, or mark it optional with "required: false" in service "${name}"`,
      });
    }
    Object.assign(fromFiles, parseDotenv(text, entry.path, sources.lookup));
  });
  const environment: Record<string, string | null> = { ...fromFiles };
  for (const [key, value] of Object.entries(service.environment ?? {})) {
    environment[key] = value ?? sources.lookup(key) ?? null;
  }
  if (service.env_file === undefined && service.environment === undefined) return service;
  return { ...service, environment };
}

/**
 * Resolves `build.args` entries written without a value from the variables, and drops those whose
 * variable is unset (unlike environment, where such an entry stays null), as Compose normalises them.
 */
export function resolveBuildArgs(project: Project, lookup: Lookup): Project {
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(project.services)) {
    const args = service.build?.args;
    if (service.build === undefined || args === undefined || !Object.values(args).includes(null)) {
      services[name] = service;
      continue;
    }
    const resolved: Record<string, string> = {};
    for (const [key, value] of Object.entries(args)) {
      const actual = value ?? lookup(key);
      if (actual !== undefined) resolved[key] = actual;
    }
    services[name] = { ...service, build: { ...service.build, args: resolved } };
  }
  return { ...project, services };
}
