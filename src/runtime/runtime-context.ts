import { join } from 'node:path';
import type { CgroupManager } from '../cgroups/cgroup-manager.js';
import { NullCgroupManager } from '../cgroups/null-cgroup-manager.js';
import type { Kernel } from '../kernel/kernel.js';
import { FileLock } from '../state/lock.js';
import type { StatePaths } from '../state/paths.js';
import type { Clock } from '../util/clock.js';
import { newContainerId } from './container-id.js';
import type { ContainerInfo } from './container-info.js';
import { ContainerStore } from './container-store.js';
import { readHostFacts, type HostFacts } from './host-facts.js';
import { realSleep, watchingTicker, type Sleep, type TickerFactory } from './ticker.js';

/** The collaborators of a Runtime; everything but kernel, paths and clock has a real default. */
export interface RuntimeDeps {
  readonly kernel: Kernel;
  readonly paths: StatePaths;
  readonly clock: Clock;
  /** New container ids (64 hex digits). */
  readonly ids?: () => string;
  /** The host's capabilities and limits; default: those of this process, from /proc/self. */
  readonly hostFacts?: () => Promise<HostFacts>;
  /** Called while a container is removed, before its directory goes: the owner drops its snapshot here. */
  readonly onRemove?: (info: ContainerInfo) => Promise<void>;
  /**
   * Each container's cgroup, named by its id under the parent recorded with it (this manager's parent for
   * new containers and old records); default none (limits are checked, not applied).
   */
  readonly cgroups?: CgroupManager;
  readonly sleep?: Sleep;
  /** How waits pause between looks; default: sleep, woken early by inotify on the container directory. */
  readonly tickers?: TickerFactory;
  /** How long a verb waits for another one working on the same container; default 30 s. */
  readonly lockTimeoutMs?: number;
  /** How long a SIGKILLed container may take to be reaped before stop gives up; default 10 s. */
  readonly killTimeoutMs?: number;
}

export interface RuntimeContext {
  readonly kernel: Kernel;
  readonly paths: StatePaths;
  readonly clock: Clock;
  readonly ids: () => string;
  readonly hostFacts: () => Promise<HostFacts>;
  readonly onRemove: (info: ContainerInfo) => Promise<void>;
  readonly cgroups: CgroupManager;
  readonly sleep: Sleep;
  readonly tickers: TickerFactory;
  readonly killTimeoutMs: number;
  readonly store: ContainerStore;
  /** Runs `fn` holding the lock of one container (`id`), or of the name registry (`names`). */
  withLock<T>(what: { id: string } | 'names', fn: () => Promise<T>): Promise<T>;
}

export function makeContext(deps: RuntimeDeps): RuntimeContext {
  const lockTimeoutMs = deps.lockTimeoutMs ?? 30_000;
  const sleep = deps.sleep ?? realSleep;
  return {
    kernel: deps.kernel,
    paths: deps.paths,
    clock: deps.clock,
    ids: deps.ids ?? newContainerId,
    hostFacts: deps.hostFacts ?? once(readHostFacts),
    onRemove: deps.onRemove ?? (async () => undefined),
    cgroups: deps.cgroups ?? new NullCgroupManager(),
    sleep,
    tickers: deps.tickers ?? watchingTicker,
    killTimeoutMs: deps.killTimeoutMs ?? 10_000,
    store: new ContainerStore(deps.paths),
    async withLock(what, fn) {
      const file = what === 'names' ? 'container-names.lock' : `container-${what.id}.lock`;
      const lock = FileLock.forCurrentProcess(join(deps.paths.locks, file));
      await lock.acquire({ timeoutMs: lockTimeoutMs, pollMs: 10, sleep: (ms) => sleep(ms) });
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    },
  };
}

/** The facts of this process do not change while it runs: read them at the first need only. */
function once(read: () => Promise<HostFacts>): () => Promise<HostFacts> {
  let facts: Promise<HostFacts> | undefined;
  return () => {
    facts ??= read().catch((err: unknown) => {
      facts = undefined;
      throw err;
    });
    return facts;
  };
}

/** The clock's time as RFC 3339. */
export function nowIso(ctx: Pick<RuntimeContext, 'clock'>): string {
  return new Date(ctx.clock.now()).toISOString();
}
