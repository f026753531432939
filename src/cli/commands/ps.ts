import { Command, Option } from 'commander';
import { observeProject } from '../../orchestrator/observe.js';
import { LABELS } from '../../orchestrator/labels.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { table } from '../render/table.js';
import { statusCode } from '../exit-code.js';
import { currentHealth } from '../../runtime/supervisor/health-record.js';
import { systemClock } from '../../util/clock.js';
import { humanDuration } from '../render/human-duration.js';
import { portsColumn } from '../render/ports-column.js';
import { projectPublishedPorts } from '../../orchestrator/supervisor-publisher.js';

interface PsFlags { all?: boolean; quiet?: boolean; services?: boolean; status?: string[]; format: string; trunc?: boolean }

export function psCommand(global: () => GlobalOptions): Command {
  return new Command('ps')
    .description('List containers')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'show all stopped containers too')
    .option('-q, --quiet', 'only display ids')
    .option('--services', 'display services')
    .option('--status <status>', 'filter by status (repeatable)', (v: string, p: string[] = []) => [...p, v])
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--no-trunc', "don't truncate the command")
    .action(async (services: string[], flags: PsFlags) => {
      const { loaded, engine } = await projectContext(global(), EXISTING);
      // As Compose: one-off containers (`run`) are listed with --all only.
      const all = flags.all === true ? await engine.runtime.list({ labels: { [LABELS.project]: loaded.project.name } }) : await observeProject(engine.runtime, loaded.project.name);
      const shown = all
        .filter((c) => flags.all === true || flags.status !== undefined || c.status === 'running' || c.status === 'paused')
        .filter((c) => flags.status === undefined || flags.status.includes(c.status))
        .filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const health = await healthOf(shown);
      const ports = portsColumn(await projectPublishedPorts(engine, loaded.project.name));
      process.stdout.write(render(shown, flags, health, ports));
    });
}

function render(containers: ContainerInfo[], flags: PsFlags, health: ReadonlyMap<string, string> = new Map(), ports: ReadonlyMap<string, string> = new Map()): string {
  if (flags.quiet === true) return containers.map((c) => `${c.id}\n`).join('');
  if (flags.services === true) return [...new Set(containers.map((c) => c.labels['com.docker.compose.service'] ?? ''))].map((s) => `${s}\n`).join('');
  if (flags.format === 'json') {
    return `${JSON.stringify(containers.map((c) => ({ ID: c.id, Name: c.name, Image: c.image.reference, Service: c.labels['com.docker.compose.service'], State: c.status, ExitCode: c.exit === undefined ? 0 : statusCode(c.exit), Command: c.spec.process.args.join(' '), Status: status(c, health), Health: health.get(c.id) ?? '', RestartCount: c.restartCount, Ports: ports.get(c.name) ?? '' })))}\n`;
  }
  const now = systemClock.now();
  const rows = containers.map((c) => [
    c.name,
    c.image.reference,
    JSON.stringify(flags.trunc === false ? c.spec.process.args.join(' ') : truncateCommand(c.spec.process.args.join(' '))),
    c.labels['com.docker.compose.service'] ?? '',
    `${humanDuration(now - Date.parse(c.createdAt))} ago`,
    status(c, health),
    ports.get(c.name) ?? '',
  ]);
  return table(['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'], rows);
}

/** As docker's table: at most 20 characters, the last one an ellipsis when cut; one line. */
export function truncateCommand(command: string): string {
  const line = command.replace(/\s+/g, ' ');
  const chars = [...line];
  return chars.length <= 20 ? line : `${chars.slice(0, 19).join('')}…`;
}

function status(c: ContainerInfo, health: ReadonlyMap<string, string> = new Map()): string {
  if (c.status === 'exited') return `Exited (${c.exit === undefined ? 0 : statusCode(c.exit)})`;
  if (c.status === 'running') return `Up ${humanDuration(systemClock.now() - Date.parse(c.startedAt ?? c.createdAt))}${healthSuffix(health.get(c.id))}`;
  return c.status.charAt(0).toUpperCase() + c.status.slice(1);
}

/** The health of each running container that has a healthcheck (from its record, written by the supervisor). */
async function healthOf(containers: ContainerInfo[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await Promise.all(containers.filter((c) => c.status === 'running').map(async (c) => {
    const record = await currentHealth(c.paths.dir, c.startedAt);
    if (record !== undefined) out.set(c.id, record.status);
  }));
  return out;
}

/** ` (healthy)`, ` (unhealthy)`, ` (health: starting)`, as `docker ps` adds it. */
function healthSuffix(health: string | undefined): string {
  if (health === undefined) return '';
  return health === 'starting' ? ' (health: starting)' : ` (${health})`;
}
