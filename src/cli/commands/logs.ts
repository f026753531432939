import { Command } from 'commander';
import { observeProject } from '../../orchestrator/observe.js';
import { systemClock } from '../../util/clock.js';
import { prefixWidth } from '../attached-up.js';
import type { GlobalOptions } from '../global-options.js';
import { EventLogLateContainers, startedAgain, type ProjectFollow } from '../late-containers.js';
import { projectContext } from '../project-context.js';
import { EXISTING } from '../service-command.js';
import { streamLogs } from '../stream-logs.js';
import { parseTime } from './events.js';

interface LogsFlags { follow?: boolean; tail: string; timestamps?: boolean; color: boolean; logPrefix: boolean; since?: number; until?: number }

export function logsCommand(global: () => GlobalOptions): Command {
  return new Command('logs')
    .description('View output from containers')
    .argument('[services...]', 'only these services')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs for each container', 'all')
    .option('-t, --timestamps', 'show timestamps')
    .option('--since <time>', 'show logs since this time (RFC 3339, unix seconds, or a duration ago such as 10m)', (v) => parseTime(v))
    .option('--until <time>', 'show logs before this time (RFC 3339, unix seconds, or a duration ago such as 10m)', (v) => parseTime(v))
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', "don't print a prefix in logs")
    .action(async (services: string[], flags: LogsFlags) => {
      const { loaded, engine } = await projectContext(global(), EXISTING);
      const project = loaded.project.name;
      const follow = flags.follow === true;
      // Containers that start from now on are found through the event log; those before, by looking.
      const beganAt = systemClock.now();
      const containers = (await observeProject(engine.runtime, project))
        .filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const tail = flags.tail === 'all' ? undefined : Number(flags.tail);
      const watched: ProjectFollow = { runtime: engine.runtime, paths: engine.paths, project, services, beganAt, now: () => systemClock.now() };
      const stop = new AbortController();
      let interrupted: number | undefined;
      const onSignal = (signal: NodeJS.Signals): void => {
        interrupted ??= signal === 'SIGINT' ? 130 : 143;
        stop.abort();
      };
      if (follow) process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
      try {
        await streamLogs(engine.runtime, containers, {
          project, follow, timestamps: flags.timestamps, prefix: flags.logPrefix, colour: flags.color, beganAt, signal: stop.signal,
          // Followed, names of containers yet to start get their column too.
          ...(follow ? { width: prefixWidth(loaded.project, services.length > 0 ? services : Object.keys(loaded.project.services)) } : {}),
          ...(tail === undefined || Number.isNaN(tail) ? {} : { tail }),
          ...(flags.since === undefined ? {} : { since: flags.since }),
          ...(flags.until === undefined ? {} : { until: flags.until }),
          again: (container, followed) => startedAgain(watched, followed, container, stop.signal),
          late: new EventLogLateContainers(watched),
        });
      } finally {
        // Ended by a failure: the other streams stop too.
        stop.abort();
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
      }
      // Stopped by Ctrl-C (or SIGTERM): the status a shell gives a command that signal ended, as Compose does.
      if (interrupted !== undefined) process.exitCode = interrupted;
    });
}
