import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { parseSeconds } from '../parse-args.js';
import { lockedProject } from '../service-command.js';

export function stopCommand(global: () => GlobalOptions): Command {
  return new Command('stop')
    .description('Stop services')
    .argument('[services...]', 'only these services')
    .option('-t, --timeout <seconds>', 'specify a shutdown timeout in seconds', parseSeconds)
    .action(async (services: string[], flags: { timeout?: number }) => {
      const { stopServices } = await import('../../orchestrator/lifecycle.js');
      await lockedProject(global(), ({ loaded, engine }) =>
        stopServices({ project: loaded.project, graph: loaded.graph, services }, engine, { timeoutSeconds: flags.timeout }));
    });
}
