import type { DependencyGraph } from '../compose/graph.js';
import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { waitReady } from './health-wait.js';
import { imageReference, LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { serviceHealthcheck } from './service-health.js';
import { describeFailure } from './wait-dependencies.js';

export interface WaitServicesOptions {
  /** `--wait-timeout`: give up after this long; default no limit. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/**
 * `up --wait`: waits until every container of the services runs, and is healthy when it has a
 * healthcheck. A container that exited 0 while another service waits for it with
 * `service_completed_successfully` is done; any other exit, an unhealthy container or the timeout
 * fails, naming the containers.
 */
export async function waitForServices(project: Project, graph: DependencyGraph, services: readonly string[], deps: OrchestratorDeps, options: WaitServicesOptions = {}): Promise<void> {
  const timeout = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeout].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);
  const pending = new Set<string>();
  const oneShots = new Set(graph.services.flatMap((s) => graph.edges(s).filter((e) => e.condition === 'service_completed_successfully').map((e) => e.to)));
  try {
    await Promise.all(services.map(async (service) => {
      const config = project.services[service] ?? {};
      const image = await deps.images.image(imageReference(project, service)).catch(() => undefined);
      const healthy = serviceHealthcheck(service, config, image) !== undefined;
      const containers = await deps.runtime.list({ labels: { [LABELS.project]: project.name, [LABELS.service]: service, [LABELS.oneoff]: 'False' } });
      await Promise.all(containers.map(async (container) => {
        pending.add(container.name);
        deps.progress({ kind: 'action', resource: container.name, status: 'working', text: 'Waiting' });
        const outcome = await waitReady(deps.runtime, container, healthy, signal);
        pending.delete(container.name);
        if (outcome.kind === 'ready' || (outcome.kind === 'exited' && outcome.exit?.exitCode === 0 && oneShots.has(service))) {
          deps.progress({ kind: 'action', resource: container.name, status: 'done', text: outcome.kind === 'exited' ? 'Exited' : healthy ? 'Healthy' : 'Running' });
          return;
        }
        const code = outcome.kind === 'unhealthy' ? 'HEALTHCHECK_FAILED' : 'SERVICE_NOT_RUNNING';
        const error = new TscError(code, `container ${container.name} ${describeFailure(outcome)}`, { hint: `see \`tscompose logs ${service}\` and \`tscompose ps -a\`` });
        deps.progress({ kind: 'action', resource: container.name, status: 'failed', text: error.message });
        throw error;
      }));
    }));
  } catch (err) {
    if (timeout?.aborted === true && options.signal?.aborted !== true) {
      throw new TscError('TIMEOUT', `up --wait: not ready after ${options.timeoutMs} ms: ${[...pending].sort().join(', ')}`, {
        hint: 'raise --wait-timeout, or see `tscompose ps` and `tscompose logs` for why they are not ready',
      });
    }
    throw err;
  }
}
