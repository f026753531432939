import { Command } from 'commander';
import { statusCode } from '../exit-code.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { withProjectLock } from '../project-lock.js';
import { EXISTING } from '../service-command.js';

export function waitCommand(global: () => GlobalOptions): Command {
  return new Command('wait')
    .description('Block until containers of all (or specified) services stop; exit with the status of the first')
    .argument('<services...>', 'the services to wait for')
    .option('--down-project', 'drops the project when the first container stops')
    .action(async (services: string[], flags: { downProject?: boolean }) => {
      const { down } = await import('../../orchestrator/down.js');
      const { serviceContainers } = await import('../../orchestrator/select.js');
      const { waitForContainers } = await import('../../orchestrator/container-exits.js');
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const containers = await serviceContainers(engine.runtime, loaded.project, services);
      const first = await waitForContainers(engine.runtime, containers, {
        onExit: ({ container, exit }) => process.stdout.write(`container "${container.name}" exited with status code ${statusCode(exit)}\n`),
        ...(flags.downProject === true ? {
          onFirst: async () => {
            await withProjectLock(engine.paths, loaded.project.name, () => down(loaded.project, loaded.graph.stopLevels(), engine));
          },
        } : {}),
      });
      process.exitCode = statusCode(first.exit);
    });
}
