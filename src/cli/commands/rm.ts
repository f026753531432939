import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import type { GlobalOptions } from '../global-options.js';
import { lockedProject } from '../service-command.js';

interface RmFlags { force?: boolean; stop?: boolean; volumes?: boolean }

export function rmCommand(global: () => GlobalOptions): Command {
  return new Command('rm')
    .description('Removes stopped service containers')
    .argument('[services...]', 'only these services')
    .option('-f, --force', "don't ask to confirm removal")
    .option('-s, --stop', 'stop the containers, if required, before removing')
    .option('-v, --volumes', 'remove any anonymous volumes attached to containers')
    .action(async (services: string[], flags: RmFlags) => {
      const { removableContainers, removeContainers, stopServices } = await import('../../orchestrator/lifecycle.js');
      const { removeAnonymousVolumes } = await import('../../orchestrator/anonymous-volumes.js');
      await lockedProject(global(), async ({ loaded, engine }) => {
        const target = { project: loaded.project, graph: loaded.graph, services };
        if (flags.stop === true) await stopServices(target, engine);
        const containers = await removableContainers(target, engine);
        if (containers.length === 0) {
          process.stderr.write('No stopped containers\n');
          return;
        }
        // The question is asked below the stop's finished task list, not inside it.
        if (flags.force !== true) await engine.progress.close?.();
        if (flags.force !== true && !(await confirm(`Going to remove ${containers.map((c) => c.name).join(', ')}`))) return;
        await removeContainers(containers, engine);
        if (flags.volumes === true) await removeAnonymousVolumes(engine, containers);
      });
    });
}

/** Docker's question; without a terminal to ask on, removal needs `-f`. */
async function confirm(what: string): Promise<boolean> {
  if (process.stdin.isTTY !== true) {
    throw new TscError('USAGE', `${what}: standard input is not a terminal to confirm on`, { hint: 'pass -f to remove without asking' });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${what}\nAre you sure? [yN] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
