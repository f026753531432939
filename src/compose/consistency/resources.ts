import { TscError } from '../../errors/index.js';
import type { Project } from '../model.js';
import { formatPath, isDict, type Dict } from '../types.js';
import { isEmpty } from './access.js';

const KINDS = [
  ['networks', 'network'],
  ['volumes', 'volume'],
  ['secrets', 'secret'],
  ['configs', 'config'],
] as const;

/** Where secrets and configs may take their content from; one and only one is needed. */
const SOURCES = {
  secrets: ['file', 'environment', 'content'],
  configs: ['file', 'environment', 'content'],
} as const;

/**
 * Rules on the top-level networks, volumes, secrets and configs: the legacy `external.name` with
 * `name`; an external volume that also says how to create it; a secret or config with no source, or
 * with several.
 */
export function checkResources(project: Project): void {
  for (const [key, noun] of KINDS) {
    for (const [name, resource] of Object.entries(project[key] ?? {})) {
      if (!isDict(resource)) continue;
      checkExternalName(key, name, resource);
      if (key === 'volumes') checkExternalVolume(name, resource);
      if (key === 'secrets' || key === 'configs') checkSource(key, noun, name, resource);
    }
  }
}

function checkExternalName(key: string, name: string, resource: Dict): void {
  if (!isDict(resource.external) || resource.external.name === undefined || resource.name === undefined) return;
  throw new TscError('COMPOSE_CONFLICT', `${key}.${name}: name and external.name conflict; only use name`, {
    path: formatPath([key, name, 'external', 'name']),
    hint: `write name: ${String(resource.external.name)} and external: true`,
  });
}

function isExternal(resource: Dict): boolean {
  return resource.external === true || isDict(resource.external);
}

/** An external volume exists already: it has a name and nothing that says how to create it. */
function checkExternalVolume(name: string, volume: Dict): void {
  if (!isExternal(volume)) return;
  for (const [key, value] of Object.entries(volume)) {
    if (key === 'name' || key === 'external' || key.startsWith('x-') || isEmpty(value)) continue;
    throw new TscError('COMPOSE_CONFLICT', `volumes.${name}: conflicting parameters "external" and "${key}" specified`, {
      path: formatPath(['volumes', name, key]),
      hint: `an external volume is created outside the project: remove ${key}, or remove external: true so the project creates the volume`,
    });
  }
}

function checkSource(key: 'secrets' | 'configs', noun: string, name: string, resource: Dict): void {
  if (isExternal(resource)) return;
  const sources = SOURCES[key].filter((source) => resource[source] !== undefined && resource[source] !== null);
  const choices = key === 'secrets' ? 'file or environment' : 'file, environment or content';
  if (sources.length > 1) {
    throw new TscError('COMPOSE_CONFLICT', `${noun} "${name}" declares mutually exclusive ${sources.join(' and ')}`, {
      path: formatPath([key, name]),
      hint: `keep only one of ${choices}`,
    });
  }
  if (sources.length === 0 && resource.driver === undefined) {
    throw new TscError('COMPOSE_INVALID', `${noun} "${name}" must declare either ${choices}`, {
      path: formatPath([key, name]),
      hint: `set ${key === 'secrets' ? 'file: ./secret.txt' : 'file: ./config.txt'} (or environment: VARIABLE), or external: true for one created outside the project`,
    });
  }
}
