import type { DependencyGraph } from '../compose/graph.js';
import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { waitReady, type ReadyOutcome } from './health-wait.js';
import { imageReference, LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { serviceOf } from './select.js';
import { serviceHealthcheck } from './service-health.js';

/**
 * Waits until every depends_on condition of `service` holds: `service_started` once its containers
 * run, `service_healthy` the moment their health records turn healthy (the supervisor runs the
 * checks), `service_completed_successfully` once they exited 0. A dependency that fails its condition
 * fails the dependent's start with DEPENDENCY_FAILED naming it, unless it is `required: false`, in
 * which case it is skipped, as is one that is missing.
 */
export async function waitForDependencies(project: Project, graph: DependencyGraph, service: string, selected: string[], deps: OrchestratorDeps, signal?: AbortSignal): Promise<void> {
  const waited = Object.entries(project.services[service]?.depends_on ?? {}).filter(([dependency]) => selected.includes(dependency) && graph.has(dependency));
  // One look at the project's containers serves every dependency; `service_started` needs none.
  const observed = waited.some(([, c]) => c.condition !== 'service_started')
    ? await deps.runtime.list({ labels: { [LABELS.project]: project.name, [LABELS.oneoff]: 'False' } })
    : [];
  const containersOf = (dependency: string): ContainerInfo[] => observed.filter((c) => serviceOf(c) === dependency);
  for (const [dependency, condition] of waited) {
    try {
      if (condition.condition === 'service_completed_successfully') {
        for (const container of containersOf(dependency)) {
          const exit = await deps.runtime.wait(container.id, signal === undefined ? {} : { signal });
          if (exit.exitCode !== 0) {
            throw new TscError('CONTAINER_START', `service "${dependency}" didn't complete successfully: exit ${exit.exitCode ?? exit.signal}`, {
              hint: `"${service}" waits for it (depends_on condition service_completed_successfully); see \`tscompose logs ${dependency}\``,
            });
          }
        }
      } else if (condition.condition === 'service_healthy') {
        await waitHealthy(project, dependency, service, containersOf(dependency), deps, signal);
      }
    } catch (err) {
      if (condition.required || signal?.aborted === true || !(err instanceof TscError)) throw err;
    }
  }
}

async function waitHealthy(project: Project, dependency: string, dependent: string, containers: ContainerInfo[], deps: OrchestratorDeps, signal?: AbortSignal): Promise<void> {
  const config = project.services[dependency] ?? {};
  const image = await deps.images.image(imageReference(project, dependency)).catch(() => undefined);
  const hint = `"${dependent}" waits for "${dependency}" to be healthy (depends_on condition service_healthy); see \`tscompose logs ${dependency}\` and \`tscompose ps\``;
  if (serviceHealthcheck(dependency, config, image) === undefined) {
    const name = containers[0]?.name ?? dependency;
    throw new TscError('DEPENDENCY_FAILED', `dependency failed to start: container ${name} has no healthcheck configured`, { hint: `give "${dependency}" a healthcheck, or use condition: service_started` });
  }
  await Promise.all(containers.map(async (container) => {
    deps.progress({ kind: 'action', resource: container.name, status: 'working', text: 'Waiting' });
    const outcome = await waitReady(deps.runtime, container, true, signal);
    if (outcome.kind !== 'ready') {
      const error = new TscError('DEPENDENCY_FAILED', `dependency failed to start: container ${container.name} ${describeFailure(outcome)}`, { hint });
      deps.progress({ kind: 'action', resource: container.name, status: 'failed', text: error.message });
      throw error;
    }
    deps.progress({ kind: 'action', resource: container.name, status: 'done', text: 'Healthy' });
  }));
}

/** How a container failed to become ready, as Compose says it: `is unhealthy`, `exited (1)`. */
export function describeFailure(outcome: Exclude<ReadyOutcome, { kind: 'ready' }>): string {
  switch (outcome.kind) {
    case 'unhealthy': return outcome.output === '' ? 'is unhealthy' : `is unhealthy: last check said: ${outcome.output.split('\n')[0] ?? ''}`;
    case 'exited': return `exited (${outcome.exit?.exitCode ?? outcome.exit?.signal ?? 'unknown'})`;
    case 'gone': return 'was removed';
  }
}
