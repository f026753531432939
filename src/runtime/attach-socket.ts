import { join } from 'node:path';
import type { LaunchPlan } from '../kernel/launch-plan.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerSpec } from './container-spec.js';

/** The file name of the monitor's attach socket in the container's directory. */
export const ATTACH_SOCKET = 'attach.sock';

/**
 * Where the monitor of a container with stdin or a terminal listens for clients: its own directory,
 * beside the log, so it goes with the container. Its path may be longer than sun_path's 108 bytes (the
 * data root can be deep); both ends then reach it through a descriptor of the directory
 * (`/proc/self/fd/N/attach.sock`), so no second, shorter location is needed.
 */
export function attachSocketOf(paths: ContainerPaths): string {
  return join(paths.dir, ATTACH_SOCKET);
}

/** Whether the spec has stdin (`open` or `once`) or a terminal: only then is there an attach socket. */
export function hasStdio(spec: Pick<ContainerSpec, 'stdin' | 'tty'>): boolean {
  return (spec.stdin ?? 'none') !== 'none' || spec.tty === true;
}

/** The plan fields for the spec's stdin and terminal: none at all without either (stdin /dev/null, no socket). */
export function stdioPlanOf(spec: ContainerSpec, paths: ContainerPaths): Pick<LaunchPlan, 'stdin' | 'terminal' | 'attachSocket'> {
  if (!hasStdio(spec)) return {};
  const stdin = spec.stdin ?? 'none';
  return {
    ...(stdin === 'none' ? {} : { stdin }),
    ...(spec.tty === true ? { terminal: spec.ttySize === undefined ? {} : { rows: spec.ttySize.rows, columns: spec.ttySize.columns } } : {}),
    attachSocket: attachSocketOf(paths),
  };
}
