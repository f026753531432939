import chalk from 'chalk';
import { Command, CommanderError } from 'commander';
import { TscError, toTscError } from '../errors/index.js';
import { addGlobalOptions, type GlobalOptions } from './global-options.js';
import { configCommand } from './commands/config.js';
import { versionCommand } from './commands/version.js';
import { upCommand } from './commands/up.js';
import { downCommand } from './commands/down.js';
import { eventsCommand } from './commands/events.js';
import { psCommand } from './commands/ps.js';
import { portCommand } from './commands/port.js';
import { logsCommand } from './commands/logs.js';
import { execCommand } from './commands/exec.js';
import { imageCommand } from './commands/image.js';
import { createCommand } from './commands/create.js';
import { startCommand } from './commands/start.js';
import { stopCommand } from './commands/stop.js';
import { restartCommand } from './commands/restart.js';
import { killCommand } from './commands/kill.js';
import { rmCommand } from './commands/rm.js';
import { pauseCommand } from './commands/pause.js';
import { topCommand } from './commands/top.js';
import { imagesCommand } from './commands/images.js';
import { lsCommand } from './commands/ls.js';
import { waitCommand } from './commands/wait.js';
import { statsCommand } from './commands/stats.js';
import { cpCommand } from './commands/cp.js';
import { runCommand } from './commands/run.js';
import { attachCommand } from './commands/attach.js';
import { networkCommand } from './commands/network.js';
import { volumeCommand } from './commands/volume.js';

export function buildProgram(): Command {
  const program = addGlobalOptions(new Command('tscompose'))
    .description('Define and run multi-container applications, with an integrated container runtime')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride();
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program.hook('preAction', () => applyAnsi(global().ansi));
  for (const command of [configCommand(global), upCommand(global), downCommand(global), eventsCommand(global), psCommand(global), portCommand(global), logsCommand(global), execCommand(global), imageCommand(global), networkCommand(global), volumeCommand(global), versionCommand()]) {
    program.addCommand(command);
  }
  const containerCommands = [
    createCommand(global), startCommand(global), stopCommand(global), restartCommand(global), killCommand(global), rmCommand(global),
    pauseCommand(global, 'pause'), pauseCommand(global, 'unpause'), topCommand(global), imagesCommand(global), lsCommand(global),
    waitCommand(global), statsCommand(global), cpCommand(global), runCommand(global), attachCommand(global),
  ];
  for (const command of containerCommands) program.addCommand(command);
  quietCommander(program);
  return program;
}

/**
 * Every command, nested ones included, throws instead of exiting and prints nothing itself, so a
 * usage error becomes one TscError paragraph like every other error.
 */
function quietCommander(command: Command): void {
  command.exitOverride().showSuggestionAfterError(true).configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  for (const sub of command.commands) quietCommander(sub);
}

/** `--ansi never|always|auto`: auto leaves colour to the terminal (and NO_COLOR / FORCE_COLOR). */
function applyAnsi(when: string): void {
  if (when === 'never') chalk.level = 0;
  else if (when === 'always' && chalk.level === 0) chalk.level = 1;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    // A command that ends with a status of its own (exec, wait, up --exit-code-from) sets process.exitCode.
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    const error = toTscError(err);
    process.stderr.write(`${error.format()}\n`);
    if (error.code === 'INTERNAL' && error.cause instanceof Error && error.cause.stack !== undefined) {
      const { readableStack } = await import('./bundle-stack.js');
      process.stderr.write(`${readableStack(error.cause.stack)}\n`);
    }
    return error.exitStatus;
  }
}

/** Help and version exit 0; every usage error is a USAGE TscError with commander's suggestion as the hint. */
function commanderExit(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.help' || err.code === 'commander.version') return 0;
  const [first, ...rest] = err.message.replace(/^error: /, '').split('\n');
  const suggestion = rest.join(' ').trim().replace(/^\((.*)\)$/, '$1');
  const error = new TscError('USAGE', first ?? err.message, {
    hint: suggestion !== '' ? suggestion : 'run `tscompose --help` for the commands and options',
  });
  process.stderr.write(`${error.format()}\n`);
  return error.exitStatus;
}
