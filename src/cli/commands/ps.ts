import { Command, Option } from 'commander';
import { observeProject } from '../../orchestrator/observe.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { table } from '../render/table.js';
import { statusCode } from '../exit-code.js';

interface PsFlags { all?: boolean; quiet?: boolean; services?: boolean; status?: string[]; format: string }

export function psCommand(global: () => GlobalOptions): Command {
  return new Command('ps')
    .description('List containers')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'show all stopped containers too')
    .option('-q, --quiet', 'only display ids')
    .option('--services', 'display services')
    .option('--status <status>', 'filter by status (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (services: string[], flags: PsFlags) => {
      const { loaded, engine } = await projectContext(global(), { profiles: ['*'], consistency: false, resolveEnvironment: false });
      const all = await observeProject(engine.runtime, loaded.project.name);
      const shown = all
        .filter((c) => flags.all === true || flags.status !== undefined || c.status === 'running' || c.status === 'paused')
        .filter((c) => flags.status === undefined || flags.status.includes(c.status))
        .filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      process.stdout.write(render(shown, flags));
    });
}

function render(containers: ContainerInfo[], flags: PsFlags): string {
  if (flags.quiet === true) return containers.map((c) => `${c.id}\n`).join('');
  if (flags.services === true) return [...new Set(containers.map((c) => c.labels['com.docker.compose.service'] ?? ''))].map((s) => `${s}\n`).join('');
  if (flags.format === 'json') {
    return `${JSON.stringify(containers.map((c) => ({ ID: c.id, Name: c.name, Image: c.image.reference, Service: c.labels['com.docker.compose.service'], State: c.status, ExitCode: c.exit === undefined ? 0 : statusCode(c.exit), Command: c.spec.process.args.join(' ') })))}\n`;
  }
  const rows = containers.map((c) => [c.name, c.image.reference, JSON.stringify(c.spec.process.args.join(' ')), c.labels['com.docker.compose.service'] ?? '', c.createdAt, status(c), '']);
  return table(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], rows);
}

function status(c: ContainerInfo): string {
  if (c.status === 'exited') return `Exited (${c.exit === undefined ? 0 : statusCode(c.exit)})`;
  if (c.status === 'running') return 'Up';
  return c.status.charAt(0).toUpperCase() + c.status.slice(1);
}
