import { Command } from 'commander';
import { observeProject } from '../../orchestrator/observe.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { streamLogs } from '../stream-logs.js';

interface LogsFlags { follow?: boolean; tail: string; timestamps?: boolean; color: boolean; logPrefix: boolean }

export function logsCommand(global: () => GlobalOptions): Command {
  return new Command('logs')
    .description('View output from containers')
    .argument('[services...]', 'only these services')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs for each container', 'all')
    .option('-t, --timestamps', 'show timestamps')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', "don't print a prefix in logs")
    .action(async (services: string[], flags: LogsFlags) => {
      const { loaded, engine } = await projectContext(global(), { profiles: ['*'], consistency: false, resolveEnvironment: false });
      const containers = (await observeProject(engine.runtime, loaded.project.name))
        .filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const tail = flags.tail === 'all' ? undefined : Number(flags.tail);
      await streamLogs(engine.runtime, containers, {
        project: loaded.project.name, follow: flags.follow === true, timestamps: flags.timestamps, prefix: flags.logPrefix, colour: flags.color,
        ...(tail === undefined || Number.isNaN(tail) ? {} : { tail }),
      });
    });
}
