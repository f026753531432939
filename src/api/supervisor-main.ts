// The per-project supervisor process (DESIGN.md): started detached by the CLI, ended by `down`.
// Usage: node supervisor-main.js --root <data root> --runtime-root <runtime root> --project <name>
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { TscError } from '../errors/index.js';
import type { EventSubject } from '../orchestrator/events-log.js';
import { EXIT_ALREADY_RUNNING } from '../runtime/supervisor/client.js';
import { errorText } from '../runtime/supervisor/error-text.js';
import { closeInheritedFds } from '../runtime/supervisor/inherited-fds.js';
import { supervisorParts } from '../runtime/supervisor/parts.js';
import { Supervisor } from '../runtime/supervisor/supervisor.js';
import type { SupervisorEvent } from '../runtime/supervisor/supervisor-events.js';
import { supervisorPaths } from '../runtime/supervisor/supervisor-paths.js';
import { realTimers } from '../runtime/supervisor/timers.js';
import { identityOf } from '../state/process-identity.js';
import { systemClock } from '../util/clock.js';
import { createEngine } from './engine.js';

/** The port proxy, built into build/native/ beside the helper (two levels above both src/api and dist/api). */
const PROXY_PATH = fileURLToPath(new URL('../../build/native/tsc-proxy', import.meta.url));

const log = (line: string): void => void process.stdout.write(`${new Date(systemClock.now()).toISOString()} ${line}\n`);

async function main(): Promise<number> {
  const inherited = closeInheritedFds();
  const { values } = parseArgs({ options: { root: { type: 'string' }, 'runtime-root': { type: 'string' }, project: { type: 'string' } } });
  const { root, project } = values;
  const runtimeRoot = values['runtime-root'];
  if (root === undefined || runtimeRoot === undefined || project === undefined) {
    log('usage: supervisor-main --root <dir> --runtime-root <dir> --project <name>');
    return 2;
  }
  if (inherited.length > 0) log(`closed inherited file descriptors ${inherited.join(', ')}`);
  const engine = createEngine({ dataRoot: root, runtimeRoot }, () => undefined);
  const events = engine.events;
  const subjects = new Map<string, EventSubject>();
  let written: Promise<void> = Promise.resolve();
  // Events are appended one after the other, in the order the parts report them.
  const emit = (event: SupervisorEvent): Promise<void> => {
    written = written.then(async () => {
      const subject = subjects.get(event.id) ?? (await engine.runtime.inspect(event.id));
      subjects.set(event.id, subject);
      await events.record(event.action, subject, event.attributes, event.time);
    }).catch((err: unknown) => log(`event ${event.action} ${event.id.slice(0, 12)}: ${errorText(err)}`));
    return written;
  };
  const identity = identityOf(process.pid);
  if (identity === undefined) throw new TscError('INTERNAL', 'cannot read this process start time from /proc');
  const parts = supervisorParts({ runtime: engine.runtime, paths: engine.paths, project, clock: systemClock, timers: realTimers, emit, log, proxyPath: PROXY_PATH });
  const supervisor = new Supervisor({ paths: supervisorPaths(engine.paths, project), project, parts, identity, clock: systemClock, log });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void supervisor.stop());
  process.on('SIGHUP', () => undefined);
  process.on('unhandledRejection', (err) => log(`unexpected: ${errorText(err)}`));
  try {
    await supervisor.run();
  } catch (err) {
    if (err instanceof TscError && err.code === 'LOCKED') return EXIT_ALREADY_RUNNING;
    throw err;
  }
  await written;
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  log(`supervisor failed: ${errorText(err)}`);
  process.exit(1);
});
