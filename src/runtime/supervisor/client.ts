import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { TscError } from '../../errors/index.js';
import type { StatePaths } from '../../state/paths.js';
import { isAlive } from '../../state/process-identity.js';
import { errorText } from './error-text.js';
import type { SupervisorConfig } from './part.js';
import type { SupervisorStatus } from './protocol.js';
import { socketRequest } from './socket-request.js';
import { supervisorConfigFile } from './supervisor-config.js';
import { supervisorPaths } from './supervisor-paths.js';
import { pidRecord, type SupervisorPidRecord } from './supervisor.js';

/** How to reach, and if need be start, one project's supervisor. */
export interface SupervisorTarget {
  readonly paths: StatePaths;
  readonly project: string;
  /** The supervisor's entry script (run with `node`), e.g. dist/api/supervisor-main.js. */
  readonly entry: string;
  /** The node binary; default the one running this process. */
  readonly node?: string;
  /** The whole wait for a supervisor to answer; default 15 s. */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The supervisor's exit status when another one already serves the project. */
export const EXIT_ALREADY_RUNNING = 3;

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes supervisor.json atomically (the supervisor reads it at start and on `reload`). */
export async function writeSupervisorConfig(paths: StatePaths, config: SupervisorConfig): Promise<void> {
  await supervisorConfigFile(supervisorPaths(paths, config.project).config).write(config);
}

/**
 * Makes the project's supervisor serve `config`: written and reloaded, unless the file already says
 * the same and its supervisor runs (it read the file at start or at the reload that wrote it), which
 * makes a no-op `up` cost no round trip. True when it reloaded.
 */
export async function syncSupervisor(target: SupervisorTarget, config: SupervisorConfig): Promise<boolean> {
  const file = supervisorConfigFile(supervisorPaths(target.paths, config.project).config);
  const current = await file.read().catch(() => undefined);
  if (current !== undefined && JSON.stringify(current) === JSON.stringify(config) && (await runningSupervisor(target.paths, config.project)) !== undefined) {
    return false;
  }
  await file.write(config);
  await ensureSupervisor(target);
  await reload(target.paths, target.project, target.timeoutMs ?? 15_000);
  return true;
}

/** The running supervisor of the project, or undefined (a zombie or a reused pid does not count). */
export async function runningSupervisor(paths: StatePaths, project: string): Promise<SupervisorPidRecord | undefined> {
  const record = await pidRecord(supervisorPaths(paths, project).pid).read().catch(() => undefined);
  return record !== undefined && isAlive(record) ? record : undefined;
}

/** Starts the project's supervisor unless one answers already, and waits until it does. */
export async function ensureSupervisor(target: SupervisorTarget): Promise<SupervisorStatus> {
  const files = supervisorPaths(target.paths, target.project);
  if ((await runningSupervisor(target.paths, target.project)) !== undefined) {
    const answer = await socketRequest(files.socket, { op: 'status' }, 2_000).catch(() => undefined);
    if (answer?.ok === true && answer.status !== undefined) return answer.status;
  }
  mkdirSync(files.dir, { recursive: true });
  const log = openSync(files.log, 'a', 0o600);
  let exited: { code: number | null; signal: string | null } | undefined;
  try {
    const child = spawn(target.node ?? process.execPath, [target.entry, '--root', target.paths.roots.dataRoot, '--runtime-root', target.paths.roots.runtimeRoot, '--project', target.project], {
      detached: true, stdio: ['ignore', log, log], cwd: '/',
    });
    child.on('error', () => (exited = { code: null, signal: 'spawn failed' }));
    child.on('exit', (code, signal) => (exited = { code, signal }));
    child.unref();
  } finally {
    closeSync(log);
  }
  return waitForAnswer(target, () => exited);
}

async function waitForAnswer(target: SupervisorTarget, exited: () => { code: number | null; signal: string | null } | undefined): Promise<SupervisorStatus> {
  const files = supervisorPaths(target.paths, target.project);
  const sleep = target.sleep ?? realSleep;
  const timeoutMs = target.timeoutMs ?? 15_000;
  let waited = 0;
  let pause = 2;
  let last = 'no answer yet';
  for (;;) {
    const answer = await socketRequest(files.socket, { op: 'status' }, 2_000).catch((err: unknown) => {
      last = errorText(err);
      return undefined;
    });
    if (answer?.ok === true && answer.status !== undefined) return answer.status;
    const end = exited();
    if (end !== undefined && end.code !== EXIT_ALREADY_RUNNING) {
      throw new TscError('SUPERVISOR', `the supervisor of project "${target.project}" ended at start (${end.code === null ? end.signal : `exit ${end.code}`}): ${logTail(files.log)}`, {
        hint: `see ${files.log}`,
      });
    }
    if (waited >= timeoutMs) {
      throw new TscError('SUPERVISOR', `the supervisor of project "${target.project}" did not answer within ${timeoutMs} ms: ${last}`, { hint: `see ${files.log}` });
    }
    await sleep(pause);
    waited += pause;
    pause = Math.min(pause * 2, 50);
  }
}

/** Makes the running supervisor read supervisor.json again and look at the containers; resolves once every part has. */
async function reload(paths: StatePaths, project: string, timeoutMs: number): Promise<void> {
  const files = supervisorPaths(paths, project);
  const answer = await socketRequest(files.socket, { op: 'reload' }, timeoutMs).catch((err: unknown) => {
    throw new TscError('SUPERVISOR', `reload the supervisor of project "${project}": ${errorText(err)}`, { hint: 'run the command again', cause: err });
  });
  if (!answer.ok) throw new TscError('SUPERVISOR', answer.error.message, { hint: `see ${files.log}` });
}

/**
 * Makes the project's supervisor, if one runs, look at the config and the containers again (none is
 * started): once it answers, the ports of containers that stopped are let go and those of containers
 * that run again are served. True when one did.
 */
export async function refreshSupervisor(paths: StatePaths, project: string, timeoutMs = 15_000): Promise<boolean> {
  if ((await runningSupervisor(paths, project)) === undefined) return false;
  await reload(paths, project, timeoutMs);
  return true;
}

/** The running supervisor's status, or undefined when none runs. */
export async function supervisorStatus(paths: StatePaths, project: string): Promise<SupervisorStatus | undefined> {
  if ((await runningSupervisor(paths, project)) === undefined) return undefined;
  const answer = await socketRequest(supervisorPaths(paths, project).socket, { op: 'status' }, 2_000).catch(() => undefined);
  return answer?.ok === true ? answer.status : undefined;
}

export interface StopSupervisorOptions {
  /** How long it may take to end after being asked; then SIGTERM, then SIGKILL. Default 10 s. */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Ends the project's supervisor (asked over the socket; signalled when it does not end in time) and
 * removes its config, socket and pid files. Its log stays. True when one was running.
 */
export async function stopSupervisor(paths: StatePaths, project: string, options: StopSupervisorOptions = {}): Promise<boolean> {
  const files = supervisorPaths(paths, project);
  const sleep = options.sleep ?? realSleep;
  const running = await runningSupervisor(paths, project);
  if (running !== undefined) {
    await socketRequest(files.socket, { op: 'stop' }, 2_000).catch(() => undefined);
    const timeoutMs = options.timeoutMs ?? 10_000;
    const gone = async (ms: number): Promise<boolean> => {
      for (let waited = 0; waited < ms; waited += 10) {
        if (!isAlive(running)) return true;
        await sleep(10);
      }
      return !isAlive(running);
    };
    if (!(await gone(timeoutMs))) {
      signal(running, 'SIGTERM');
      if (!(await gone(2_000))) {
        signal(running, 'SIGKILL');
        await gone(2_000);
      }
    }
  }
  await Promise.all([files.config, files.socket, files.pid, files.lock].map((f) => rm(f, { force: true })));
  return running !== undefined;
}

/** Signals the very process recorded (its start time still matches); one that just ended is fine. */
function signal(identity: { pid: number; startTime: number }, name: NodeJS.Signals): void {
  if (!isAlive(identity)) return;
  try {
    process.kill(identity.pid, name);
  } catch {
    // It ended between the look and the signal.
  }
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ') || 'its log is empty';
  } catch {
    return 'it left no log';
  }
}
