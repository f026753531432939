import { Command } from 'commander';
import { serviceContainers } from '../../orchestrator/select.js';
import type { GlobalOptions } from '../global-options.js';
import { parseIndex } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { pick } from './exec.js';

interface AttachFlags { index: number; stdin: boolean }

export function attachCommand(global: () => GlobalOptions): Command {
  return new Command('attach')
    .description("Attach local standard input, output, and error streams to a service's running container")
    .argument('<service>', 'the service')
    .option('--index <n>', 'index of the container if the service has several replicas', parseIndex, 1)
    .option('--no-stdin', 'do not attach STDIN')
    .action(async (service: string, flags: AttachFlags) => {
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const container = pick(await serviceContainers(engine.runtime, loaded.project, [service]), service, flags.index);
      const { attachContainer } = await import('../attach-container.js');
      // Output from now on, as docker's attach; Ctrl-P Ctrl-Q on a terminal leaves it running.
      const outcome = await attachContainer(engine.runtime, container, { stdin: flags.stdin, fromNow: true, detachKeys: true });
      process.exitCode = 'exited' in outcome ? outcome.exited : 0;
    });
}
