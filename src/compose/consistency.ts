import type { Project } from './model.js';
import { checkResources } from './consistency/resources.js';
import { checkHealthcheck, checkImageAndBuild, checkMountsAndDevices, checkWatch } from './consistency/definition.js';
import { checkContainerName, checkDeployAgreement, checkNetworkMode } from './consistency/conflicts.js';
import { checkNetworkRefs, checkResourceRefs, checkServiceRefs } from './consistency/references.js';

/**
 * The rules a well-formed model must also follow before anything is created, as compose-go's
 * consistency check and Compose's own load-time rules have them. Throws the first broken rule as a
 * `TscError` (`COMPOSE_INVALID`, `COMPOSE_REFERENCE` or `COMPOSE_CONFLICT`) with the compose path.
 * Run it after profiles: a reference to a service that profiles disabled is an error here unless
 * it is a `depends_on` with `required: false`. Dependency cycles are left to `buildGraph`.
 */
export function checkConsistency(project: Project): void {
  checkResources(project);
  for (const [name, service] of Object.entries(project.services)) {
    checkMountsAndDevices(name, service);
  }
  for (const [name, service] of Object.entries(project.services)) {
    checkImageAndBuild(name, service);
    checkNetworkMode(name, service);
    checkNetworkRefs(project, name, service);
    checkHealthcheck(name, service);
    checkServiceRefs(project, name, service);
    checkResourceRefs(project, name, service);
    checkDeployAgreement(name, service);
    checkContainerName(name, service);
    checkWatch(name, service);
  }
}
