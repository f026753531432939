import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { lockedProject } from '../service-command.js';

export function startCommand(global: () => GlobalOptions): Command {
  return new Command('start')
    .description('Start services')
    .argument('[services...]', 'only these services')
    .action(async (services: string[]) => {
      const { startServices } = await import('../../orchestrator/lifecycle.js');
      const { reviveSupervisor } = await import('../revive-supervisor.js');
      await lockedProject(global(), async ({ loaded, engine }) => {
        await startServices({ project: loaded.project, graph: loaded.graph, services }, engine);
        // Restart policies and healthchecks of what now runs need the project's supervisor.
        await reviveSupervisor(engine, loaded.project.name);
      });
    });
}
