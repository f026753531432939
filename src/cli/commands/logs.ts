import { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { observeProject } from '../../orchestrator/observe.js';
import type { Runtime } from '../../runtime/runtime.js';
import type { ContainerInfo } from '../../runtime/container-info.js';
import { isAlive, type ProcessIdentity } from '../../state/process-identity.js';
import type { StatePaths } from '../../state/paths.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { streamLogs } from '../stream-logs.js';
import { parseTime } from './events.js';

interface LogsFlags { follow?: boolean; tail: string; timestamps?: boolean; color: boolean; logPrefix: boolean; since?: number; until?: number }

/** How often a follower whose container stopped looks whether it runs again. */
const RESTART_POLL_MS = 100;

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
      const { loaded, engine } = await projectContext(global(), { profiles: ['*'], consistency: false, resolveEnvironment: false });
      const project = loaded.project.name;
      const containers = (await observeProject(engine.runtime, project))
        .filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const tail = flags.tail === 'all' ? undefined : Number(flags.tail);
      await streamLogs(engine.runtime, containers, {
        project, follow: flags.follow === true, timestamps: flags.timestamps, prefix: flags.logPrefix, colour: flags.color,
        ...(tail === undefined || Number.isNaN(tail) ? {} : { tail }),
        ...(flags.since === undefined ? {} : { since: flags.since }),
        ...(flags.until === undefined ? {} : { until: flags.until }),
        again: (container) => startedAgain(engine.runtime, engine.paths, project, containers, container),
      });
    });
}

/**
 * Whether a followed container that stopped runs again: true once it does (`restart`, a restart
 * policy), false once none of the followed containers runs while no tscompose holds the project's lock
 * (a `restart` holds it from the stop to the start).
 */
async function startedAgain(runtime: Runtime, paths: StatePaths, project: string, followed: ContainerInfo[], container: ContainerInfo): Promise<boolean> {
  const ids = new Set(followed.map((c) => c.id));
  for (;;) {
    const now = (await observeProject(runtime, project)).filter((c) => ids.has(c.id));
    const running = (c: ContainerInfo | undefined): boolean => c?.status === 'running' || c?.status === 'paused';
    if (running(now.find((c) => c.id === container.id))) return true;
    if (now.find((c) => c.id === container.id) === undefined) return false;
    if (!now.some(running) && !(await lockHeld(paths, project))) return false;
    await new Promise((resolve) => setTimeout(resolve, RESTART_POLL_MS));
  }
}

/** Whether a live process holds the project's lock. */
async function lockHeld(paths: StatePaths, project: string): Promise<boolean> {
  try {
    return isAlive(JSON.parse(await readFile(paths.projectLock(project), 'utf8')) as ProcessIdentity);
  } catch {
    return false;
  }
}
