import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import { processEnv, type GlobalOptions } from '../global-options.js';
import { collect, environmentEntries, labelEntries, splitWords } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { withProjectLock } from '../project-lock.js';

interface RunFlags {
  rm?: boolean; detach?: boolean; env?: string[]; entrypoint?: string; user?: string; workdir?: string; volume?: string[];
  publish?: string[]; servicePorts?: boolean; deps: boolean; TTY: boolean; interactive?: boolean; name?: string; label?: string[];
}

export function runCommand(global: () => GlobalOptions): Command {
  return new Command('run')
    .description('Run a one-off command on a service')
    .argument('<service>').argument('[command...]')
    .passThroughOptions()
    .option('--rm', 'automatically remove the container when it exits')
    .option('-d, --detach', 'run container in background and print its name')
    .option('-e, --env <KEY=VAL>', 'set an environment variable (repeatable)', collect)
    .option('--entrypoint <cmd>', "override the image's entrypoint")
    .option('-u, --user <user>', 'run as this user (name or uid[:gid])')
    .option('-w, --workdir <dir>', 'working directory inside the container')
    .option('-v, --volume <bind>', 'bind mount a volume (repeatable)', collect)
    .option('-p, --publish <port>', "publish a container's port to the host (repeatable)", collect)
    .option('-P, --service-ports', "run with the service's ports published to the host")
    .option('--no-deps', "don't start linked services")
    .option('-T, --no-TTY', 'disable pseudo-TTY allocation')
    .option('-i, --interactive', 'keep STDIN open even if not attached (the default)', true)
    .option('--no-interactive', 'give the container no STDIN')
    .option('--name <name>', 'assign a name to the container')
    .option('-l, --label <KEY=VAL>', 'add or override a label (repeatable)', collect)
    .action(async (service: string, command: string[], flags: RunFlags) => {
      const { projectLabels } = await import('../../orchestrator/project-labels.js');
      const { startOneOff } = await import('../../orchestrator/run-one-off.js');
      checkRunFlags(flags);
      const { loaded, engine } = await projectContext(global(), { services: [service] });
      const env = processEnv();
      const id = randomBytes(6).toString('hex');
      const container = await withProjectLock(engine.paths, loaded.project.name, () => startOneOff(loaded.project, loaded.graph, engine, {
        service, id, command, workingDir: process.cwd(), noDeps: flags.deps === false,
        publish: flags.publish ?? [], servicePorts: flags.servicePorts === true,
        interactive: flags.interactive !== false, detach: flags.detach === true,
        // Compose gives a terminal unless -T, when its own output is one.
        tty: flags.TTY && process.stdout.isTTY === true,
        // A terminal that reports no size (0×0) leaves the kernel's default.
        ...(process.stdout.isTTY === true && process.stdout.rows > 0 && process.stdout.columns > 0 ? { ttySize: { rows: process.stdout.rows, columns: process.stdout.columns } } : {}),
        ...(flags.entrypoint === undefined ? {} : { entrypoint: splitWords(flags.entrypoint) }),
        env: environmentEntries(flags.env ?? [], (k) => env[k]),
        labels: labelEntries(flags.label ?? []),
        volumes: flags.volume ?? [],
        ...(flags.user === undefined ? {} : { user: flags.user }),
        ...(flags.workdir === undefined ? {} : { workdir: flags.workdir }),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        projectLabels: projectLabels(loaded.projectDir, loaded.files),
      })).finally(() => engine.progress.close?.());
      if (flags.detach === true) {
        process.stdout.write(`${container.name}\n`);
        return;
      }
      const { attachContainer } = await import('../attach-container.js');
      // --rm removes it under the project's lock, as every change of the project's containers is made (its
      // published ports are let go by editing the supervisor's config, which another command may be writing).
      const remove = (): Promise<void> => withProjectLock(engine.paths, loaded.project.name, () => engine.runtime.remove(container.id, { force: true }));
      const outcome = await attachContainer(engine.runtime, container, { ...(flags.rm === true ? { remove } : {}), endOnFailure: true });
      process.exitCode = 'exited' in outcome ? outcome.exited : 0;
    });
}

function checkRunFlags(flags: RunFlags): void {
  if ((flags.publish ?? []).length > 0 && flags.servicePorts === true) {
    throw new TscError('USAGE', '--service-ports and --publish cannot be combined', { hint: "publish the service's ports with --service-ports, or name each port with -p" });
  }
  if (flags.detach === true && flags.rm === true) {
    throw new TscError('USAGE', '--detach and --rm cannot be combined', { hint: 'remove the container later with `tscompose rm -f`' });
  }
}
