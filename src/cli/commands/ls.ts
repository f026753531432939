import type { ProjectSummary } from '../../orchestrator/projects.js';
import { Command, Option } from 'commander';
import { engineOnly } from '../engine-only.js';
import type { GlobalOptions } from '../global-options.js';
import { table } from '../render/table.js';

interface LsFlags { all?: boolean; quiet?: boolean; format: 'table' | 'json'; filter?: string }

export function lsCommand(global: () => GlobalOptions): Command {
  return new Command('ls')
    .description('List running compose projects')
    .option('-a, --all', 'show all stopped compose projects')
    .option('-q, --quiet', 'only display project names')
    .addOption(new Option('--format <format>', 'format the output').choices(['table', 'json']).default('table'))
    .action(async (flags: LsFlags) => {
      const { listProjects } = await import('../../orchestrator/projects.js');
      const engine = await engineOnly(global());
      process.stdout.write(renderProjects(await listProjects(engine.runtime, flags.all === true), flags));
    });
}

export function renderProjects(projects: readonly ProjectSummary[], flags: Pick<LsFlags, 'quiet' | 'format'>): string {
  if (flags.quiet === true) return projects.map((p) => `${p.name}\n`).join('');
  if (flags.format === 'json') return `${JSON.stringify(projects.map((p) => ({ Name: p.name, Status: p.status, ConfigFiles: p.configFiles })))}\n`;
  return table(['NAME', 'STATUS', 'CONFIG FILES'], projects.map((p) => [p.name, p.status, p.configFiles]));
}
