import { TscError } from '../errors/index.js';
import type { ExecIo } from '../kernel/exec-plan.js';
import type { ContainerRecord } from './container-record.js';
import { buildExecPlan, type ExecRequest } from './exec-plan-builder.js';
import { observe } from './observe.js';
import { LayeredRootView } from './root-view.js';
import type { RuntimeContext } from './runtime-context.js';
import { resolveUser, type ResolvedUser } from './user.js';

/**
 * The request (command, environment, working directory, tty, detach, privileged), the user to run it as,
 * and how its stdio is connected: stdin `ignore` and output `capture` unless given.
 */
export interface ExecOptions extends ExecRequest, Partial<ExecIo> {
  /** `name`, `uid`, `name:group`, `uid:gid`, from the container's /etc/passwd and /etc/group; default the container's user. */
  readonly user?: string;
}

export interface ExecResult {
  /** null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
  /** The command's process as the host sees it. */
  readonly pid?: number;
}

function notRunning(record: ContainerRecord): TscError {
  if (record.status === 'paused') {
    return new TscError('CONTAINER_BAD_STATE', `cannot exec in container ${record.name}: it is paused`, { hint: 'unpause it first' });
  }
  return new TscError('CONTAINER_BAD_STATE', `cannot exec in container ${record.name}: it is not running`, { hint: 'start it first' });
}

async function userOf(record: ContainerRecord, user: string | undefined): Promise<ResolvedUser> {
  if (user === undefined) return record.user;
  try {
    return await resolveUser(user, undefined, new LayeredRootView(record.spec.rootfs));
  } catch (err) {
    if (!(err instanceof TscError) || err.code !== 'CONTAINER_START') throw err;
    throw new TscError('EXEC_FAILED', `exec in \`${record.name}\`: user: ${err.message}`, { hint: err.hint, cause: err });
  }
}

/**
 * Runs one more command in a running container: in its namespaces and cgroups, with its capabilities,
 * limits, user, environment and working directory unless the options say otherwise. Takes no lock, so a
 * long exec never holds up stop; a container that stops ends its execs with it.
 */
export async function exec(ctx: RuntimeContext, ref: string, options: ExecOptions): Promise<ExecResult> {
  const record = await observe(ctx, await ctx.store.find(ref));
  if (record.status !== 'running' || record.container === undefined) throw notRunning(record);
  if (ctx.kernel.exec === undefined) {
    throw new TscError('UNSUPPORTED', `cannot exec in container ${record.name}: this kernel cannot run commands in containers`, {
      hint: 'exec needs the Linux kernel implementation',
    });
  }
  const plan = buildExecPlan(record, ctx.store.pathsOf(record.id), { host: await ctx.hostFacts(), user: await userOf(record, options.user) }, options);
  const outcome = await ctx.kernel.exec(plan, {
    stdin: options.detach === true ? 'ignore' : options.stdin ?? 'ignore',
    output: options.detach === true ? 'ignore' : options.output ?? 'capture',
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.maxOutputBytes === undefined ? {} : { maxOutputBytes: options.maxOutputBytes }),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.signals === undefined || options.detach === true ? {} : { signals: options.signals }),
  });
  return {
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    timedOut: outcome.timedOut,
    ...(outcome.stdout === undefined ? {} : { stdout: outcome.stdout }),
    ...(outcome.stderr === undefined ? {} : { stderr: outcome.stderr }),
    pid: outcome.process.pid,
  };
}
