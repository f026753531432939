import type { CgroupStats } from '../cgroups/cgroup-manager.js';
import type { ExitStatus } from '../kernel/kernel.js';
import type { ContainerInfo } from './container-info.js';
import type { ContainerSpec } from './container-spec.js';
import { create } from './create.js';
import { inspect } from './inspect.js';
import { kill } from './kill.js';
import { list, type ListFilter } from './list.js';
import type { LogRecord } from './log-record.js';
import { logs, type LogsOptions } from './logs.js';
import { remove, type RemoveOptions } from './remove.js';
import { makeContext, type RuntimeContext, type RuntimeDeps } from './runtime-context.js';
import { start, type StartOptions } from './start.js';
import { stats } from './stats.js';
import { stop, type StopOptions } from './stop.js';
import { wait, type WaitOptions } from './wait.js';

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

  stop(ref: string, options?: StopOptions): Promise<ContainerInfo> {
    return stop(this.ctx, ref, options);
  }

  kill(ref: string, signal?: string | number): Promise<void> {
    return kill(this.ctx, ref, signal);
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
}
