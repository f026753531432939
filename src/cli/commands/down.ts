import { Command } from 'commander';
import { down } from '../../orchestrator/down.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';

export function downCommand(global: () => GlobalOptions): Command {
  return new Command('down')
    .description('Stop and remove containers and, with -v, volumes')
    .option('-v, --volumes', 'remove the named volumes declared in the volumes section')
    .option('--remove-orphans', 'remove containers of services not defined in the compose file')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds')
    .action(async (flags: { volumes?: boolean; removeOrphans?: boolean }) => {
      // down works from what exists: every profile counts, so no service of the project is missed.
      const { loaded, engine } = await projectContext(global(), { profiles: ['*'], consistency: false, resolveEnvironment: false, allResources: true });
      await down(loaded.project, loaded.graph.stopLevels(), engine, { volumes: flags.volumes === true, removeOrphans: flags.removeOrphans === true });
    });
}
