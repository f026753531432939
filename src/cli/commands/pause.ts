import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { lockedProject } from '../service-command.js';

/** `pause` and `unpause`: one file, as the two are mirror images. */
export function pauseCommand(global: () => GlobalOptions, verb: 'pause' | 'unpause'): Command {
  return new Command(verb)
    .description(verb === 'pause' ? 'Pause services' : 'Unpause services')
    .argument('[services...]', 'only these services')
    .action(async (services: string[]) => {
      const { pauseServices } = await import('../../orchestrator/lifecycle.js');
      await lockedProject(global(), ({ loaded, engine }) => pauseServices({ project: loaded.project, graph: loaded.graph, services }, engine, verb));
    });
}
