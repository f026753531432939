import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { lockedProject } from '../service-command.js';

export function killCommand(global: () => GlobalOptions): Command {
  return new Command('kill')
    .description('Force stop service containers')
    .argument('[services...]', 'only these services')
    .option('-s, --signal <signal>', 'signal to send to the container', 'SIGKILL')
    .option('--remove-orphans', 'remove containers for services not defined in the compose file')
    .action(async (services: string[], flags: { signal: string; removeOrphans?: boolean }) => {
      const { killServices } = await import('../../orchestrator/lifecycle.js');
      const { parseSignal } = await import('../../runtime/kill.js');
      const signal = parseSignal(flags.signal);
      await lockedProject(global(), ({ loaded, engine }) =>
        killServices({ project: loaded.project, graph: loaded.graph, services }, engine, { signal, removeOrphans: flags.removeOrphans === true }));
    });
}
