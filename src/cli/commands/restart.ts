import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { parseSeconds } from '../parse-args.js';
import { lockedProject } from '../service-command.js';

export function restartCommand(global: () => GlobalOptions): Command {
  return new Command('restart')
    .description('Restart service containers')
    .argument('[services...]', 'only these services')
    .option('-t, --timeout <seconds>', 'specify a shutdown timeout in seconds', parseSeconds)
    .option('--no-deps', "don't restart dependent services")
    .action(async (services: string[], flags: { timeout?: number; deps: boolean }) => {
      const { restartServices } = await import('../../orchestrator/lifecycle.js');
      const { reviveSupervisor } = await import('../revive-supervisor.js');
      await lockedProject(global(), async ({ loaded, engine }) => {
        await restartServices({ project: loaded.project, graph: loaded.graph, services, noDeps: flags.deps === false }, engine, { timeoutSeconds: flags.timeout });
        await reviveSupervisor(engine, loaded.project.name);
      });
    });
}
