import { isatty } from 'node:tty';
import { Command } from 'commander';
import { TscError } from '../../errors/index.js';
import type { SignalSource } from '../../kernel/exec-plan.js';
import { LABELS } from '../../orchestrator/labels.js';
import { serviceContainers } from '../../orchestrator/select.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import { statusCode } from '../exit-code.js';
import type { GlobalOptions } from '../global-options.js';
import { processEnv } from '../global-options.js';
import { collect, environmentEntries, parseIndex } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';

interface ExecFlags { detach?: boolean; env?: string[]; user?: string; workdir?: string; tty: boolean; index: number; privileged?: boolean; interactive?: boolean }

/** The running replica `index` of a service (`--index` of exec and attach), or SERVICE_NOT_RUNNING. */
export function pick(containers: readonly ContainerInfo[], service: string, index: number): ContainerInfo {
  const found = containers.find((c) => c.status === 'running' && Number(c.labels[LABELS.number]) === index);
  if (found !== undefined) return found;
  const which = index === 1 ? '' : ` container #${index}`;
  throw new TscError('SERVICE_NOT_RUNNING', `service "${service}" is not running${which}`, {
    hint: `start it with \`tscompose up -d ${service}\``,
  });
}

const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGUSR1', 'SIGUSR2'];

/** This process's own signals, as a source the runtime passes on to the command. */
function processSignals(names: readonly NodeJS.Signals[]): SignalSource {
  return {
    subscribe(listener) {
      for (const name of names) process.on(name, listener);
      return () => {
        for (const name of names) process.off(name, listener);
      };
    },
  };
}

/** Raw mode on the caller's terminal while the command has it; restored afterwards. */
async function withTerminal<T>(tty: boolean, work: () => Promise<T>): Promise<T> {
  if (!tty || !process.stdin.isTTY) return work();
  process.stdin.setRawMode(true);
  try {
    return await work();
  } finally {
    process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}

export function execCommand(global: () => GlobalOptions): Command {
  return new Command('exec')
    .description('Execute a command in a running container')
    .usage('[options] SERVICE COMMAND [ARGS...]')
    .argument('<service>', 'the service')
    .argument('<command...>', 'the command and its arguments')
    .option('-d, --detach', 'detached mode: run the command in the background')
    .option('-e, --env <KEY=VALUE>', 'set an environment variable (repeatable)', collect)
    .option('-u, --user <user>', 'run the command as this user')
    .option('-w, --workdir <dir>', 'path to the working directory for this command')
    .option('-T, --no-tty', 'disable pseudo-TTY allocation (default: a TTY when stdin is a terminal)')
    .option('-i, --interactive', 'keep stdin open (always on; accepted for compatibility)')
    .option('--index <n>', 'index of the container if the service has several replicas', parseIndex, 1)
    .option('--privileged', 'give extended privileges to the process')
    .passThroughOptions()
    .action(async (service: string, command: string[], flags: ExecFlags) => {
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const env = processEnv();
      const container = pick(await serviceContainers(engine.runtime, loaded.project, [service]), service, flags.index);
      const detach = flags.detach === true;
      const tty = flags.tty && !detach && isatty(0) && isatty(1);
      // The helper shares this process group: it gets the terminal's signals (INT, QUIT, WINCH) itself and
      // forwards them to the command; those sent to this process alone are passed on to it here.
      const ignore = (): void => undefined;
      process.on('SIGINT', ignore).on('SIGQUIT', ignore);
      try {
        const result = await withTerminal(tty, () => engine.runtime.exec(container.id, {
          args: command,
          env: Object.entries(environmentEntries(flags.env ?? [], (k) => env[k])).map(([k, v]) => `${k}=${v}`),
          ...(flags.user === undefined ? {} : { user: flags.user }),
          ...(flags.workdir === undefined ? {} : { cwd: flags.workdir }),
          tty, detach, privileged: flags.privileged === true,
          stdin: 'inherit', output: 'inherit', signals: processSignals(FORWARDED),
        }));
        process.exitCode = detach ? 0 : statusCode(result);
      } finally {
        process.off('SIGINT', ignore).off('SIGQUIT', ignore);
      }
    });
}
