import { join } from 'node:path';
import type { StatePaths } from '../../state/paths.js';

/** The files of one project's supervisor, all in `<runtime-root>/projects/<project>/`. */
export interface SupervisorPaths {
  readonly dir: string;
  /** What the CLI wants served (a SupervisorConfig). */
  readonly config: string;
  /** The unix socket speaking JSON lines. */
  readonly socket: string;
  /** Held by the running supervisor: one per project. */
  readonly lock: string;
  /** The running supervisor's pid and start time. */
  readonly pid: string;
  /** Its stdout and stderr. */
  readonly log: string;
}

export function supervisorPaths(paths: StatePaths, project: string): SupervisorPaths {
  const dir = paths.project(project);
  return {
    dir,
    config: join(dir, 'supervisor.json'),
    socket: join(dir, 'supervisor.sock'),
    lock: join(dir, 'supervisor.lock'),
    pid: join(dir, 'supervisor.pid'),
    log: join(dir, 'supervisor.log'),
  };
}
