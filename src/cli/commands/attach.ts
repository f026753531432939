import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import { serviceContainers } from '../../orchestrator/select.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { pick } from './exec.js';

interface AttachFlags { index: string; stdin: boolean }

export function attachCommand(global: () => GlobalOptions): Command {
  return new Command('attach')
    .description("Attach local standard input, output, and error streams to a service's running container")
    .argument('<service>', 'the service')
    .option('--index <n>', 'index of the container if the service has several replicas', '1')
    .option('--no-stdin', 'do not attach STDIN')
    .action(async (service: string, flags: AttachFlags) => {
      const index = Number(flags.index);
      if (!Number.isInteger(index) || index < 1) throw new TscError('USAGE', `invalid --index "${flags.index}"`, { hint: 'give a replica number from 1' });
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const container = pick(await serviceContainers(engine.runtime, loaded.project, [service]), service, index);
      const { attachContainer } = await import('../attach-container.js');
      // Output from now on, as docker's attach; Ctrl-P Ctrl-Q on a terminal leaves it running.
      const outcome = await attachContainer(engine.runtime, container, { stdin: flags.stdin, fromNow: true, detachKeys: true });
      process.exitCode = 'exited' in outcome ? outcome.exited : 0;
    });
}
