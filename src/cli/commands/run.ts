import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import type { Runtime } from '../../runtime/runtime.js';
import { statusCode } from '../exit-code.js';
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
    .option('-i, --interactive', 'keep STDIN open')
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
        ...(flags.entrypoint === undefined ? {} : { entrypoint: splitWords(flags.entrypoint) }),
        env: environmentEntries(flags.env ?? [], (k) => env[k]),
        labels: labelEntries(flags.label ?? []),
        volumes: flags.volume ?? [],
        ...(flags.user === undefined ? {} : { user: flags.user }),
        ...(flags.workdir === undefined ? {} : { workdir: flags.workdir }),
        ...(flags.name === undefined ? {} : { name: flags.name }),
        projectLabels: projectLabels(loaded.projectDir, loaded.files),
      }));
      if (flags.detach === true) {
        process.stdout.write(`${container.name}\n`);
        return;
      }
      process.exitCode = await attach(engine.runtime, container, flags.rm === true);
    });
}

function checkRunFlags(flags: RunFlags): void {
  if (flags.interactive === true) {
    throw new TscError('UNSUPPORTED', 'run -i: a container cannot be given standard input yet', { hint: 'run without -i (and with -T); feed input through a file with -v and a shell redirection instead' });
  }
  if ((flags.publish ?? []).length > 0 || flags.servicePorts === true) {
    throw new TscError('UNSUPPORTED', `run ${flags.servicePorts === true ? '--service-ports' : '-p'}: one-off containers cannot publish ports yet`, { hint: 'publish the port from the service with `tscompose up`, or reach the container from another one' });
  }
  if (flags.detach === true && flags.rm === true) {
    throw new TscError('USAGE', '--detach and --rm cannot be combined', { hint: 'remove the container later with `tscompose rm -f`' });
  }
  if (flags.TTY && process.stdin.isTTY === true) {
    process.stderr.write('note: containers get no terminal yet; running as with -T\n');
  }
}

/**
 * Streams the one-off's output to this process's stdout and stderr until it exits, forwarding
 * Ctrl-C to it (a second one kills it), and returns its exit status; `--rm` removes it after.
 */
async function attach(runtime: Runtime, container: ContainerInfo, remove: boolean): Promise<number> {
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    void runtime.kill(container.id, interrupts > 1 ? 'SIGKILL' : signal).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for await (const record of runtime.logs(container.id, { follow: true })) {
      (record.stream === 'stderr' ? process.stderr : process.stdout).write(record.log);
    }
    return statusCode(await runtime.wait(container.id));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (remove) await runtime.remove(container.id, { force: true }).catch(() => undefined);
  }
}
