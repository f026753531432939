import type { Runtime } from '../runtime/runtime.js';
import { TscError } from '../errors/index.js';
import { statusCode } from '../runtime/container-state.js';

export { statusCode };

/** The exit code of a service's first container, as `up --exit-code-from` returns it (128+n for a signal). */
export async function exitCodeOf(runtime: Runtime, project: string, service: string): Promise<number> {
  const [container] = await runtime.list({ labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service } });
  if (container === undefined) throw new TscError('CONTAINER_NOT_FOUND', `no container for service "${service}"`, { hint: 'check the service name given to --exit-code-from' });
  return statusCode(await runtime.wait(container.id));
}
