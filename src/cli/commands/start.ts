import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { lockedProject } from '../service-command.js';

export function startCommand(global: () => GlobalOptions): Command {
  return new Command('start')
    .description('Start services')
    .argument('[services...]', 'only these services')
    .action(async (services: string[]) => {
      const { startServices } = await import('../../orchestrator/lifecycle.js');
      await lockedProject(global(), ({ loaded, engine }) => startServices({ project: loaded.project, graph: loaded.graph, services }, engine));
    });
}
