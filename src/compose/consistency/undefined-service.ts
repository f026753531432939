import { TscError } from '../../errors/index.js';
import type { Project } from '../model.js';
import { formatPath, type ComposePath } from '../types.js';
import { disabledProfiles } from './disabled-services.js';
import { undefinedHint } from './hints.js';

/** How a service names another one. */
export type ServiceReferenceKind = 'depends_on' | 'network_mode' | 'ipc' | 'pid' | 'volumes_from' | 'links' | 'additional_contexts';

/**
 * The error for a service that names a service the project does not have (never defined, or
 * disabled by profiles). Compose's wording for `depends_on`; the hint says which profile would
 * enable a disabled service, or the nearest defined name.
 */
export function undefinedServiceError(
  project: Project,
  ref: { from: string; kind: ServiceReferenceKind; target: string; path: ComposePath },
): TscError {
  const { from, kind, target } = ref;
  const message = kind === 'depends_on'
    ? `service "${from}" depends on undefined service "${target}"`
    : `service "${from}" refers to undefined service "${target}" in ${describe(kind, target)}`;
  return new TscError('COMPOSE_REFERENCE', message, { path: formatPath(ref.path), hint: hintFor(project, kind, target) });
}

function describe(kind: ServiceReferenceKind, target: string): string {
  switch (kind) {
    case 'network_mode':
    case 'ipc':
    case 'pid':
      return `${kind} "service:${target}"`;
    case 'additional_contexts':
      return `build.additional_contexts "service:${target}"`;
    default:
      return kind;
  }
}

function hintFor(project: Project, kind: ServiceReferenceKind, target: string): string {
  const optional = kind === 'depends_on' ? ', or mark the dependency `required: false`' : '';
  const profiles = disabledProfiles(project, target);
  if (profiles !== undefined) {
    const list = profiles.join(', ');
    const flag = profiles[0] === undefined ? '' : ` (e.g. --profile ${profiles[0]})`;
    return `service "${target}" is disabled: enable one of its profiles (${list})${flag}${optional}`;
  }
  return undefinedHint('service', target, Object.keys(project.services), `define service "${target}"${optional}`);
}
