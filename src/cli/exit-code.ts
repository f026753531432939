import type { Runtime } from '../runtime/runtime.js';
import { TscError } from '../errors/index.js';

/** The exit code of a service's first container, as `up --exit-code-from` returns it (128+n for a signal). */
export async function exitCodeOf(runtime: Runtime, project: string, service: string): Promise<number> {
  const [container] = await runtime.list({ labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service } });
  if (container === undefined) throw new TscError('CONTAINER_NOT_FOUND', `no container for service "${service}"`, { hint: 'check the service name given to --exit-code-from' });
  const exit = await runtime.wait(container.id);
  if (exit.exitCode !== null) return exit.exitCode;
  return 128 + (signalNumber(exit.signal) ?? 9);
}

function signalNumber(name: string | null): number | undefined {
  const table: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return name === null ? undefined : table[name];
}
