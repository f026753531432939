import { Command, Option } from 'commander';
import { down } from '../../orchestrator/down.js';
import { imagesToRemove } from '../../orchestrator/project-images.js';
import { step } from '../../orchestrator/up.js';
import type { Engine } from '../../api/engine.js';
import type { GlobalOptions } from '../global-options.js';
import { parseSeconds } from '../parse-args.js';
import { EXISTING, lockedProject } from '../service-command.js';

interface DownFlags { volumes?: boolean; removeOrphans?: boolean; timeout?: number; rmi?: 'local' | 'all' }

export function downCommand(global: () => GlobalOptions): Command {
  return new Command('down')
    .description('Stop and remove containers and, with -v, volumes')
    .option('-v, --volumes', 'remove the named volumes declared in the volumes section')
    .option('--remove-orphans', 'remove containers of services not defined in the compose file')
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds', parseSeconds)
    .addOption(new Option('--rmi <type>', 'remove images used by services: "local" only those without a custom tag, or "all"').choices(['local', 'all']))
    .action(async (flags: DownFlags) => {
      // down works from what exists: every profile counts, so no service of the project is missed.
      await lockedProject(global(), async ({ loaded, engine }) => {
        const removed = await down(loaded.project, loaded.graph.stopLevels(), engine, {
          volumes: flags.volumes === true, removeOrphans: flags.removeOrphans === true, ...(flags.timeout === undefined ? {} : { timeoutSeconds: flags.timeout }),
          onOrphans: (names) => process.stderr.write(`WARN[0000] project ${loaded.project.name} has containers of services not in its compose files (orphans), left as they are: ${names.join(', ')}; run down with --remove-orphans to remove them\n`),
        });
        if (flags.rmi !== undefined) await removeImages(engine, imagesToRemove(loaded.project, removed, flags.rmi));
      }, { ...EXISTING, allResources: true });
    });
}

/** Removes each image nothing else uses; an image that is absent is nothing to do. */
async function removeImages(engine: Engine, names: string[]): Promise<void> {
  const inUse = (await engine.runtime.list()).map((c) => c.image.digest ?? '').filter((d) => d !== '');
  for (const name of names) {
    const exists = await engine.images.store.inspect(name).then(() => true, () => false);
    if (!exists) continue;
    await step(engine, `image ${name}`, 'Removing', 'Removed', () => engine.images.store.remove(name, { inUse }));
  }
}
