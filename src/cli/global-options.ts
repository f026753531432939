import { homedir } from 'node:os';
import { Option, type Command } from 'commander';
import type { LoadOptions } from '../compose/loader.js';
import type { Warning } from '../compose/types.js';

/** The options `docker compose` takes before the command name. */
export interface GlobalOptions {
  file?: string[];
  projectName?: string;
  projectDirectory?: string;
  envFile?: string[];
  profile?: string[];
  ansi: 'never' | 'always' | 'auto';
  dryRun: boolean;
  progress?: string;
  root?: string;
  runtimeRoot?: string;
  allResources?: boolean;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

export function addGlobalOptions(program: Command): Command {
  return program
    .option('-f, --file <file>', 'compose configuration file (repeatable; - for standard input)', collect)
    .option('-p, --project-name <name>', 'project name')
    .option('--project-directory <dir>', 'alternate working directory (default: the directory of the first compose file)')
    .option('--env-file <file>', 'alternate environment file (repeatable; replaces .env)', collect)
    .option('--profile <profile>', 'profile to enable (repeatable)', collect)
    .addOption(new Option('--ansi <when>', 'control characters').choices(['never', 'always', 'auto']).default('auto'))
    .option('--dry-run', 'show what would be done without doing it', false)
    .option('--all-resources', 'include all resources, even those not used by services')
    .option('--progress <kind>', 'progress output: auto, tty, plain, json or quiet')
    .option('--root <dir>', 'data root (default /var/lib/tscompose, or TSCOMPOSE_ROOT)')
    .option('--runtime-root <dir>', 'runtime root (default /run/tscompose, or TSCOMPOSE_RUNTIME_ROOT)');
}

/** The process environment without undefined values. */
export function processEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) out[k] = v;
  return out;
}

export function loadOptionsFrom(global: GlobalOptions, extra: Partial<LoadOptions> = {}): LoadOptions {
  return {
    workingDir: process.cwd(),
    files: global.file,
    projectDirectory: global.projectDirectory,
    projectName: global.projectName,
    envFiles: global.envFile,
    profiles: global.profile,
    osEnv: processEnv(),
    homeDir: homedir(),
    onWarning: printWarning,
    allResources: global.allResources === true,
    ...extra,
  };
}

export function printWarning(warning: Warning): void {
  const where = warning.location === undefined ? '' : `${warning.location.file}${warning.location.line === undefined ? '' : `:${warning.location.line}`}: `;
  process.stderr.write(`WARN[0000] ${where}${warning.message}\n`);
}
