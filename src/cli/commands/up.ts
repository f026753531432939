import { Command, Option } from 'commander';
import { TscError } from '../../errors/index.js';
import { projectLabels } from '../../orchestrator/project-labels.js';
import { selectedServices, up } from '../../orchestrator/up.js';
import { waitForServices } from '../../orchestrator/wait-services.js';
import type { GlobalOptions } from '../global-options.js';
import { collect, collectScale, parseSeconds, valueOptionNamedNo } from '../parse-args.js';
import { projectContext } from '../project-context.js';
import { withProjectLock } from '../project-lock.js';
import { progressMode } from '../render/progress.js';
import { AttachedRun, attachedServices, prefixWidth } from '../attached-up.js';
import { finishAttached } from '../finish-attached.js';

export interface UpFlags {
  detach?: boolean;
  forceRecreate?: boolean;
  alwaysRecreateDeps?: boolean;
  renewAnonVolumes?: boolean;
  recreate: boolean;
  start: boolean;
  deps: boolean;
  removeOrphans?: boolean;
  abortOnContainerExit?: boolean;
  abortOnContainerFailure?: boolean;
  exitCodeFrom?: string;
  attach?: string[];
  attachDependencies?: boolean;
  noAttach?: string[];
  scale?: Record<string, number>;
  timeout?: number;
  progress?: string;
  timestamps?: boolean;
  color: boolean;
  logPrefix: boolean;
  wait?: boolean;
  waitTimeout?: number;
  dryRun?: boolean;
}

export function upCommand(global: () => GlobalOptions): Command {
  return new Command('up')
    .description('Create and start containers')
    .argument('[services...]', 'only these services (and their dependencies)')
    .option('-d, --detach', 'run containers in the background')
    .option('--force-recreate', 'recreate containers even if nothing changed')
    .option('--always-recreate-deps', 'recreate dependent containers (incompatible with --no-recreate)')
    .option('--no-recreate', 'keep existing containers even if their configuration changed')
    .option('--no-start', "create containers but don't start them")
    .option('--no-deps', "don't start linked services")
    .option('-V, --renew-anon-volumes', 'recreate anonymous volumes instead of retrieving data from the previous containers')
    .option('--remove-orphans', 'remove containers of services not defined in the compose file')
    .option('--abort-on-container-exit', 'stop all containers if any container stops')
    .option('--abort-on-container-failure', 'stop all containers if any container exits with a failure')
    .option('--exit-code-from <service>', "return the exit code of this service's container")
    .option('--attach <service>', 'restrict attaching to this service (repeatable)', collect)
    .option('--attach-dependencies', 'automatically attach to log output of dependent services')
    .addOption(valueOptionNamedNo('--no-attach <service>', "don't attach to this service's output (repeatable)", collect))
    .option('--scale <service=n>', 'scale SERVICE to N instances, overriding the file (repeatable)', collectScale)
    .option('-t, --timeout <seconds>', 'shutdown timeout in seconds for containers stopped or recreated', parseSeconds)
    .addOption(new Option('--progress <kind>', 'progress output').choices(['auto', 'tty', 'plain', 'json', 'quiet']))
    .option('--timestamps', 'show timestamps')
    .option('--no-color', 'produce monochrome output')
    .option('--no-log-prefix', "don't print a prefix in logs")
    .option('--wait', 'wait for services to be running|healthy; implies detached mode')
    .option('--wait-timeout <seconds>', 'maximum duration in seconds to wait for the project to be running|healthy', parseSeconds)
    .option('--dry-run', 'show what would be done without doing it (as the global --dry-run)')
    .action(async (services: string[], flags: UpFlags) => {
      checkFlags(flags);
      const options: GlobalOptions = { ...global(), ...(flags.progress === undefined ? {} : { progress: flags.progress }), ...(flags.dryRun === true ? { dryRun: true } : {}) };
      const detached = options.dryRun || flags.detach === true || flags.start === false || flags.wait === true;
      const { loaded, engine } = await projectContext(options, { services: services.length > 0 ? services : undefined });
      const { project, graph } = loaded;
      const selected = selectedServices(project, graph, { services, noDeps: flags.deps === false });
      const attached = attachedServices(project, { services: flags.attachDependencies === true && services.length > 0 ? graph.withDependencies(services) : services, attach: flags.attach, noAttach: flags.noAttach });
      const run = detached ? undefined : new AttachedRun(engine.runtime, project, attached, {
        width: prefixWidth(project, attached, flags.scale), timestamps: flags.timestamps, prefix: flags.logPrefix, colour: flags.color,
        abortOnExit: flags.abortOnContainerExit === true || flags.exitCodeFrom !== undefined, abortOnFailure: flags.abortOnContainerFailure === true,
      });
      if (run !== undefined && progressMode(options.progress) === 'tty') run.attacher.hold();
      const signals = run === undefined ? undefined : trapSignals(run);
      try {
        await withProjectLock(engine.paths, project.name, () => up(project, graph, run === undefined ? engine : { ...engine, progress: run.progress(engine.progress) }, {
          ...(run === undefined ? {} : { signal: run.stop.signal }),
          services,
          noDeps: flags.deps === false,
          forceRecreate: flags.forceRecreate === true,
          alwaysRecreateDeps: flags.alwaysRecreateDeps === true,
          noRecreate: flags.recreate === false,
          noStart: flags.start === false,
          removeOrphans: flags.removeOrphans === true,
          dryRun: options.dryRun,
          ...(flags.scale === undefined ? {} : { scale: flags.scale }),
          ...(flags.timeout === undefined ? {} : { timeoutSeconds: flags.timeout }),
          labels: projectLabels(loaded.projectDir, loaded.files),
          variables: loaded.variables,
          renewAnonVolumes: flags.renewAnonVolumes === true,
          knownServices: loaded.rawFiles.flatMap((f) => Object.keys((f.data.services ?? {}) as object)),
          onOrphans: (names) => process.stderr.write(`WARN[0000] project ${project.name} has containers of services not in its compose files (orphans): ${names.join(', ')}; run up with --remove-orphans to remove them\n`),
        })).catch((err: unknown) => {
          // Ctrl-C while up waited on a dependency: what was started is stopped below.
          if (run?.aborted === undefined) throw err;
        });
        if (flags.wait === true && !options.dryRun && flags.start !== false) {
          await waitForServices(project, graph, selected, engine, flags.waitTimeout === undefined ? {} : { timeoutMs: flags.waitTimeout * 1000 });
        }
        // The task list ends before anything else is printed: the log stream of attached up comes after it.
        await engine.progress.close?.();
        if (run === undefined || signals === undefined) return;
        run.attacher.release();
        await run.attachRunning();
        await run.ended();
        process.exitCode = await finishAttached(run, { project, graph, services: selected }, engine, { timeoutSeconds: flags.timeout, exitCodeFrom: flags.exitCodeFrom });
        await run.close();
      } finally {
        await engine.progress.close?.();
        run?.followers.abort();
        run?.attacher.release();
        signals?.remove();
      }
    });
}

function checkFlags(flags: UpFlags): void {
  const incompatible = (a: string, b: string): TscError => new TscError('USAGE', `${a} and ${b} cannot be combined`, { hint: `drop one of ${a} and ${b}` });
  if (flags.detach === true && (flags.abortOnContainerExit === true || flags.abortOnContainerFailure === true)) throw incompatible('--detach', flags.abortOnContainerExit === true ? '--abort-on-container-exit' : '--abort-on-container-failure');
  if (flags.abortOnContainerExit === true && flags.abortOnContainerFailure === true) throw incompatible('--abort-on-container-exit', '--abort-on-container-failure');
  if (flags.alwaysRecreateDeps === true && flags.recreate === false) throw incompatible('--always-recreate-deps', '--no-recreate');
  if (flags.forceRecreate === true && flags.recreate === false) throw incompatible('--force-recreate', '--no-recreate');
}

/**
 * Ctrl-C as Compose handles it: the first stops the stack gracefully, the second kills it. SIGTERM
 * counts as a first Ctrl-C.
 */
function trapSignals(run: AttachedRun): { remove: () => void } {
  let count = 0;
  const onSignal = (): void => {
    count++;
    if (count === 1) {
      process.stderr.write('Gracefully stopping... (press Ctrl+C again to force)\n');
      run.end({ reason: 'interrupt' });
    } else if (count === 2) {
      run.forceKill();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    remove: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
