import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import type { GlobalOptions } from '../global-options.js';
import { collectScale } from '../parse-args.js';
import { lockedProject } from '../service-command.js';

interface CreateFlags { forceRecreate?: boolean; recreate: boolean; removeOrphans?: boolean; scale?: Record<string, number> }

/** `create`: `up --no-start`, with create's own flags. */
export function createCommand(global: () => GlobalOptions): Command {
  return new Command('create')
    .description('Creates containers for a service')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('--force-recreate', 'recreate containers even if their configuration and image have not changed')
    .option('--no-recreate', "if containers already exist, don't recreate them")
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .option('--scale <service=n>', 'scale SERVICE to N instances, overriding the file (repeatable)', collectScale)
    .action(async (services: string[], flags: CreateFlags) => {
      const { projectLabels } = await import('../../orchestrator/project-labels.js');
      const { up } = await import('../../orchestrator/up.js');
      if (flags.forceRecreate === true && flags.recreate === false) {
        throw new TscError('USAGE', '--force-recreate and --no-recreate cannot be combined', { hint: 'drop one of them' });
      }
      const options = global();
      await lockedProject(options, ({ loaded, engine }) => up(loaded.project, loaded.graph, engine, {
        services,
        noStart: true,
        forceRecreate: flags.forceRecreate === true,
        noRecreate: flags.recreate === false,
        removeOrphans: flags.removeOrphans === true,
        dryRun: options.dryRun,
        ...(flags.scale === undefined ? {} : { scale: flags.scale }),
        labels: projectLabels(loaded.projectDir, loaded.files),
      }), { services: services.length > 0 ? services : undefined });
    });
}
