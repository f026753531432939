import type { DependencyGraph } from '../compose/graph.js';
import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';

/**
 * Waits until every depends_on condition of `service` holds: `service_started` once its containers
 * run, `service_completed_successfully` once they exited 0. A dependency that fails its condition
 * fails the dependent's start, naming both (unless the dependency is `required: false`).
 */
export async function waitForDependencies(project: Project, graph: DependencyGraph, service: string, selected: string[], deps: OrchestratorDeps, signal?: AbortSignal): Promise<void> {
  for (const [dependency, condition] of Object.entries(project.services[service]?.depends_on ?? {})) {
    if (!selected.includes(dependency) || !graph.has(dependency)) continue;
    const containers = await deps.runtime.list({ labels: { [LABELS.project]: project.name, [LABELS.service]: dependency } });
    if (condition.condition === 'service_completed_successfully') {
      for (const container of containers) {
        const exit = await deps.runtime.wait(container.id, signal === undefined ? {} : { signal });
        if (exit.exitCode !== 0 && condition.required) {
          throw new TscError('CONTAINER_START', `service "${dependency}" didn't complete successfully: exit ${exit.exitCode ?? exit.signal}`, {
            hint: `"${service}" waits for it (depends_on condition service_completed_successfully); see \`tscompose logs ${dependency}\``,
          });
        }
      }
    } else if (condition.condition === 'service_healthy') {
      const hasCheck = project.services[dependency]?.healthcheck !== undefined && project.services[dependency]?.healthcheck?.disable !== true;
      if (condition.required) {
        throw new TscError('CONTAINER_START', `service "${service}" waits for "${dependency}" to be healthy, and healthchecks are not run yet`, {
          hint: hasCheck ? 'use condition: service_started for now' : `"${dependency}" has no healthcheck: give it one, or use condition: service_started`,
        });
      }
    }
  }
}
