import { totalmem } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StatsRow, StatsSample } from '../../orchestrator/stats-rows.js';
import { Command, Option } from 'commander';
import type { ContainerInfo } from '../../runtime/container-info.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { binarySize, percent } from '../render/sizes.js';
import { table } from '../render/table.js';

interface StatsFlags { all?: boolean; stream: boolean; trunc: boolean; format: 'table' | 'json' }

/** As `docker stats`: CPU is measured over this interval between two readings. */
const INTERVAL_MS = 1000;

export function statsCommand(global: () => GlobalOptions): Command {
  return new Command('stats')
    .description('Display a live stream of container resource usage statistics')
    .argument('[services...]', 'only these services')
    .option('-a, --all', 'show all containers (default shows just running)')
    .option('--no-stream', 'disable streaming stats and only pull the first result')
    .option('--no-trunc', "don't truncate output")
    .addOption(new Option('--format <format>', 'format the output').choices(['table', 'json']).default('table'))
    .action(async (services: string[], flags: StatsFlags) => {
      const { serviceContainers } = await import('../../orchestrator/select.js');
      const { statsRow } = await import('../../orchestrator/stats-rows.js');
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      try {
        let before: Map<string, StatsSample> | undefined;
        while (!stop.signal.aborted) {
          const containers = (await serviceContainers(engine.runtime, loaded.project, services)).filter((c) => flags.all === true || c.status === 'running');
          const now = await sample(engine.runtime, containers);
          if (before !== undefined) {
            const rows = containers.map((c) => statsRow(c, before?.get(c.id) ?? now.get(c.id) as StatsSample, now.get(c.id) as StatsSample, totalmem()));
            const clear = flags.stream && flags.format === 'table' && process.stdout.isTTY === true ? '\x1b[2J\x1b[H' : '';
            process.stdout.write(clear + renderStats(rows, flags));
            if (!flags.stream) break;
          }
          before = now;
          await sleep(INTERVAL_MS, undefined, { signal: stop.signal }).catch(() => undefined);
        }
      } finally {
        process.off('SIGINT', onSignal);
      }
    });
}

async function sample(runtime: Runtime, containers: readonly ContainerInfo[]): Promise<Map<string, StatsSample>> {
  const out = new Map<string, StatsSample>();
  await Promise.all(containers.map(async (c) => {
    out.set(c.id, { stats: await runtime.stats(c.id).catch(() => undefined), atMs: performance.now() });
  }));
  return out;
}

export function renderStats(rows: readonly StatsRow[], flags: Pick<StatsFlags, 'trunc' | 'format'>): string {
  const id = (r: StatsRow): string => (flags.trunc ? r.id.slice(0, 12) : r.id);
  if (flags.format === 'json') {
    return rows.map((r) => `${JSON.stringify({
      ID: id(r), Name: r.name, CPUPerc: percent(r.cpuPercent), MemUsage: `${binarySize(r.memoryBytes)} / ${binarySize(r.memoryLimitBytes)}`, MemPerc: percent(r.memoryPercent), PIDs: String(r.pids),
    })}\n`).join('');
  }
  return table(['CONTAINER ID', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'],
    rows.map((r) => [id(r), r.name, percent(r.cpuPercent), `${binarySize(r.memoryBytes)} / ${binarySize(r.memoryLimitBytes)}`, percent(r.memoryPercent), String(r.pids)]));
}
