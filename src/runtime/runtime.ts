import type { CgroupStats } from '../cgroups/cgroup-manager.js';
import type { ExitStatus } from '../kernel/kernel.js';
import { attach, type ContainerAttachment } from './attach.js';
import type { ContainerInfo } from './container-info.js';
import type { ContainerSpec } from './container-spec.js';
import { create } from './create.js';
import { exec, type ExecOptions, type ExecResult } from './exec.js';
import { inspect } from './inspect.js';
import { kill, parseSignal } from './kill.js';
import { ENDING_SIGNALS, markStoppedByUser, wasStoppedByUser } from './stop-intent.js';
import { list, type ListFilter } from './list.js';
import type { LogRecord } from './log-record.js';
import { logs, type LogsOptions } from './logs.js';
import { pause, unpause } from './pause.js';
import { remove, type RemoveOptions } from './remove.js';
import { restart } from './restart.js';
import { makeContext, type RuntimeContext, type RuntimeDeps } from './runtime-context.js';
import { start, type StartOptions } from './start.js';
import { stats } from './stats.js';
import { stop, type StopOptions } from './stop.js';
import { wait, type WaitOptions } from './wait.js';

export type { ContainerAttachment } from './attach.js';

/**
 * One container's lifecycle on top of the kernel: create, start, stop, kill, wait, remove, list,
 * inspect, logs, stats. State lives on disk (records, exit files, logs), so any process can pick up
 * containers another one started. A container is named by full id, name or unique id prefix.
 */
export class Runtime {
  private readonly ctx: RuntimeContext;

  constructor(deps: RuntimeDeps) {
    this.ctx = makeContext(deps);
  }

  create(spec: ContainerSpec): Promise<ContainerInfo> {
    return create(this.ctx, spec);
  }

  start(ref: string, options?: StartOptions): Promise<ContainerInfo> {
    return start(this.ctx, ref, options);
  }

  /** Stops the container on the user's behalf: its restart policy leaves this run stopped. */
  stop(ref: string, options?: StopOptions): Promise<ContainerInfo> {
    return stop(this.ctx, ref, { ...options, byUser: true });
  }

  /** Signals the container; an ending signal (KILL, TERM, INT, QUIT) also counts as the user stopping it. */
  async kill(ref: string, signal?: string | number): Promise<void> {
    if (ENDING_SIGNALS.includes(parseSignal(signal ?? 'SIGKILL'))) await markStoppedByUser(this.ctx, ref);
    return kill(this.ctx, ref, signal);
  }

  /** Whether the user stopped the container's last run through tscompose (see {@link stop}, {@link kill}). */
  wasStoppedByUser(ref: string): Promise<boolean> {
    return wasStoppedByUser(this.ctx, ref);
  }

  wait(ref: string, options?: WaitOptions): Promise<ExitStatus> {
    return wait(this.ctx, ref, options);
  }

  remove(ref: string, options?: RemoveOptions): Promise<void> {
    return remove(this.ctx, ref, options);
  }

  list(filter?: ListFilter): Promise<ContainerInfo[]> {
    return list(this.ctx, filter);
  }

  inspect(ref: string): Promise<ContainerInfo> {
    return inspect(this.ctx, ref);
  }

  logs(ref: string, options?: LogsOptions): AsyncIterable<LogRecord> {
    return logs(this.ctx, ref, options);
  }

  stats(ref: string): Promise<CgroupStats | undefined> {
    return stats(this.ctx, ref);
  }

  /** Freezes a running container's processes (its cgroup's freezer); state `paused`. */
  pause(ref: string): Promise<ContainerInfo> {
    return pause(this.ctx, ref);
  }

  unpause(ref: string): Promise<ContainerInfo> {
    return unpause(this.ctx, ref);
  }

  /** Stops (a paused container is thawed first) and starts again; a container not running is just started. */
  restart(ref: string, options?: StopOptions): Promise<ContainerInfo> {
    return restart(this.ctx, ref, options);
  }

  /** Runs one more command in a running container (see exec.ts). */
  exec(ref: string, options: ExecOptions): Promise<ExecResult> {
    return exec(this.ctx, ref, options);
  }

  /** Connects to a running container's stdin or terminal (see attach.ts). */
  attach(ref: string): Promise<ContainerAttachment> {
    return attach(this.ctx, ref);
  }
}
