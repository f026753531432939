import { existsSync } from 'node:fs';
import type { Engine } from '../api/engine.js';
import { SUPERVISOR_ENTRY } from '../api/engine-supervisor.js';
import { ensureSupervisor, runningSupervisor } from '../runtime/supervisor/client.js';
import { supervisorPaths } from '../runtime/supervisor/supervisor-paths.js';
import { errorText } from '../runtime/supervisor/error-text.js';

/**
 * A project that is up (it has a supervisor.json) whose supervisor died gets it back: the new one
 * adopts the containers from state. A failure is only reported: the command itself goes on. For
 * commands that change what runs; commands that only read (`ps`) leave the supervisor as it is.
 */
export async function reviveSupervisor(engine: Engine, project: string): Promise<void> {
  if (!existsSync(supervisorPaths(engine.paths, project).config)) return;
  if ((await runningSupervisor(engine.paths, project)) !== undefined) return;
  await ensureSupervisor({ paths: engine.paths, project, entry: SUPERVISOR_ENTRY })
    .catch((err: unknown) => process.stderr.write(`WARN[0000] the supervisor of project "${project}" could not be started again: ${errorText(err)}\n`));
}
