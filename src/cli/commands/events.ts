import { Command, InvalidArgumentError } from 'commander';
import { parseDuration } from '../../compose/canonical/duration.js';
import { eventsLogPath, formatEvent } from '../../orchestrator/events-log.js';
import { followEvents } from '../../orchestrator/follow-events.js';
import { StatePaths } from '../../state/paths.js';
import { systemClock } from '../../util/clock.js';
import { rootsOf } from '../engine-only.js';
import { loadOptionsFrom, type GlobalOptions } from '../global-options.js';
import { EXISTING } from '../service-command.js';
import { loadProject } from '../../compose/loader.js';

interface EventsFlags { json?: boolean; since?: number; until?: number }

/** A point in time: RFC 3339, seconds since the epoch, or a duration ago (`10m`). */
export function parseTime(value: string, now: number = systemClock.now()): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago / 1e6;
  const time = Date.parse(text);
  if (Number.isNaN(time)) throw new InvalidArgumentError(`"${value}" is not a time: write RFC 3339, seconds since the epoch, or a duration ago such as 10m`);
  return time;
}

export function eventsCommand(global: () => GlobalOptions): Command {
  return new Command('events')
    .description('Receive real time events from containers')
    .argument('[services...]', 'only these services')
    .option('--json', 'output events as a stream of json objects')
    .option('--since <time>', 'show events since this time (RFC 3339, unix seconds, or a duration ago); default: from now', (v) => parseTime(v))
    .option('--until <time>', 'stream events until this time, then exit', (v) => parseTime(v))
    .action(async (services: string[], flags: EventsFlags) => {
      const options = global();
      // Only the project's name and the runtime root are needed, not the engine; the log is root's.
      const { requireRoot } = await import('../../api/engine-root.js');
      requireRoot();
      const { project } = loadProject(loadOptionsFrom(options, EXISTING));
      const paths = new StatePaths(rootsOf(options));
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const follow = followEvents(eventsLogPath(paths, project.name), {
          follow: true, services, signal: stop.signal, now: () => systemClock.now(),
          ...(flags.since === undefined ? {} : { sinceMs: flags.since }),
          ...(flags.until === undefined ? {} : { untilMs: flags.until }),
        });
        for await (const event of follow) process.stdout.write(`${flags.json === true ? JSON.stringify(event) : formatEvent(event)}\n`);
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
