import { fileURLToPath } from 'node:url';
import type { SupervisorControl } from '../orchestrator/supervisor-config.js';
import { stopSupervisor, syncSupervisor } from '../runtime/supervisor/client.js';
import type { StatePaths } from '../state/paths.js';

/** The supervisor's entry script, compiled to dist/api/ (two levels above both src/api and dist/api). */
export const SUPERVISOR_ENTRY = fileURLToPath(new URL('../../dist/api/supervisor-main.js', import.meta.url));

/** The project supervisors of these roots, as the orchestrator drives them. */
export function supervisorControl(paths: StatePaths, entry = SUPERVISOR_ENTRY): SupervisorControl {
  return {
    async apply(config) {
      await syncSupervisor({ paths, project: config.project, entry }, config);
    },
    async stop(project) {
      await stopSupervisor(paths, project);
    },
  };
}
