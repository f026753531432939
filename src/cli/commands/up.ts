import { Command } from 'commander';
import { up } from '../../orchestrator/up.js';
import type { GlobalOptions } from '../global-options.js';
import { projectContext } from '../project-context.js';
import { streamLogs } from '../stream-logs.js';
import { exitCodeOf } from '../exit-code.js';

interface UpFlags {
  detach?: boolean;
  forceRecreate?: boolean;
  recreate: boolean;
  start: boolean;
  deps: boolean;
  removeOrphans?: boolean;
  abortOnContainerExit?: boolean;
  exitCodeFrom?: string;
  timestamps?: boolean;
  color: boolean;
  logPrefix: boolean;
}

export function upCommand(global: () => GlobalOptions): Command {
  return new Command('up')
    .description('Create and start containers')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('-d, --detach', 'run containers in the background')
    .option('--force-recreate', 'recreate containers even if nothing changed')
    .option('--no-recreate', 'keep existing containers even if their configuration changed')
    .option('--no-start', "create containers but don't start them")
    .option('--no-deps', "don't start linked services")
    .option('--remove-orphans', 'remove containers of services not defined in the compose file')
    .option('--abort-on-container-exit', 'stop all containers if any container stops')
    .option('--exit-code-from <service>', "return the exit code of this service's container")
    .option('--timestamps', 'show timestamps')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', "don't print a prefix in logs")
    .action(async (services: string[], flags: UpFlags) => {
      const options = global();
      const { loaded, engine } = await projectContext(options, { services: services.length > 0 ? services : undefined });
      const result = await up(loaded.project, loaded.graph, engine, {
        services,
        noDeps: flags.deps === false,
        forceRecreate: flags.forceRecreate === true,
        noRecreate: flags.recreate === false,
        noStart: flags.start === false,
        removeOrphans: flags.removeOrphans === true,
        dryRun: options.dryRun,
      });
      if (options.dryRun || flags.detach === true || flags.start === false) return;
      const attached = result.containers.filter((c) => services.length === 0 || services.includes(c.labels['com.docker.compose.service'] ?? ''));
      const stopAll = new AbortController();
      let interrupted = 0;
      const onSignal = (): void => {
        interrupted++;
        if (interrupted === 1) process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
        stopAll.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const abortOnExit = flags.abortOnContainerExit === true || flags.exitCodeFrom !== undefined;
      let ended = false;
      try {
        await streamLogs(engine.runtime, attached, {
          project: loaded.project.name, follow: true, timestamps: flags.timestamps, prefix: flags.logPrefix, colour: flags.color, signal: stopAll.signal,
          onEnd: () => {
            if (!abortOnExit || ended) return;
            ended = true;
            stopAll.abort();
          },
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
      if (interrupted > 0 || ended) {
        if (ended) process.stderr.write('Aborting on container exit...\n');
        await Promise.all(attached.map((c) => (interrupted > 1 ? engine.runtime.kill(c.id, 'SIGKILL') : engine.runtime.stop(c.id)).catch(() => undefined)));
      }
      if (flags.exitCodeFrom !== undefined) process.exitCode = await exitCodeOf(engine.runtime, loaded.project.name, flags.exitCodeFrom);
    });
}
