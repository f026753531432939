import type { ProcessRow } from '../../orchestrator/top.js';
import { Command } from 'commander';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { table } from '../render/table.js';

export function topCommand(global: () => GlobalOptions): Command {
  return new Command('top')
    .description('Display the running processes')
    .argument('[services...]', 'only these services')
    .action(async (services: string[]) => {
      const { serviceContainers } = await import('../../orchestrator/select.js');
      const { containerPids, processRows } = await import('../../orchestrator/top.js');
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const running = (await serviceContainers(engine.runtime, loaded.project, services)).filter((c) => (c.status === 'running' || c.status === 'paused') && c.pid !== undefined);
      const blocks: string[] = [];
      for (const c of running) blocks.push(renderTop(c.name, await processRows(await containerPids(c.pid as number))));
      process.stdout.write(blocks.join('\n'));
    });
}

export function renderTop(name: string, rows: readonly ProcessRow[]): string {
  const cells = rows.map((r) => [r.uid, String(r.pid), String(r.ppid), String(r.c), r.stime, r.tty, r.time, r.cmd]);
  return `${name}\n${table(['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], cells)}`;
}
