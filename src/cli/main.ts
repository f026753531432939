import chalk from 'chalk';
import { Command, CommanderError } from 'commander';
import { TscError, toTscError } from '../errors/index.js';
import { addGlobalOptions, type GlobalOptions } from './global-options.js';
import { configCommand } from './commands/config.js';
import { versionCommand } from './commands/version.js';
import { upCommand } from './commands/up.js';
import { downCommand } from './commands/down.js';
import { psCommand } from './commands/ps.js';
import { logsCommand } from './commands/logs.js';
import { imageCommand } from './commands/image.js';

export function buildProgram(): Command {
  const program = addGlobalOptions(new Command('tscompose'))
    .description('Define and run multi-container applications, with an integrated container runtime')
    .enablePositionalOptions()
    .showSuggestionAfterError(true)
    .exitOverride();
  const global = (): GlobalOptions => program.opts<GlobalOptions>();
  program.hook('preAction', () => applyAnsi(global().ansi));
  for (const command of [configCommand(global), upCommand(global), downCommand(global), psCommand(global), logsCommand(global), imageCommand(global), versionCommand()]) {
    program.addCommand(command);
  }
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
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return commanderExit(err);
    const error = toTscError(err);
    process.stderr.write(`${error.format()}\n`);
    if (error.code === 'INTERNAL' && error.cause instanceof Error && error.cause.stack !== undefined) {
      process.stderr.write(`${error.cause.stack}\n`);
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
