import { join } from 'node:path';
import type { StatePaths } from '../state/paths.js';

/** Where one container's files live, all under `<dataRoot>/containers/<id>/`. */
export interface ContainerPaths {
  readonly dir: string;
  /** The container record. */
  readonly state: string;
  /** The bundle: config.json (OCI) and launch.plan (the helper's). */
  readonly bundle: string;
  readonly config: string;
  /** The monitor's log: one `<time> <stream> F|P <text>` record a line (CRI format). */
  readonly logFile: string;
  /** The exit status written by the monitor. */
  readonly exitFile: string;
}

export function containerPaths(paths: StatePaths, id: string): ContainerPaths {
  const dir = paths.container(id);
  const bundle = join(dir, 'bundle');
  return {
    dir,
    state: join(dir, 'state.json'),
    bundle,
    config: join(bundle, 'config.json'),
    logFile: join(dir, 'container.log'),
    exitFile: join(dir, 'exit.json'),
  };
}
