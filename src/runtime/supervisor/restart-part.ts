import type { Clock } from '../../util/clock.js';
import { statusCode } from '../container-state.js';
import type { ContainerLookup, ContainerView } from './container-view.js';
import type { DirWatch } from '../../util/dir-watch.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import { decideRestart, type RestartMemory } from './restart-policy.js';
import { parseRestartSection, type RestartTarget } from './restart-section.js';
import type { SupervisorEventSink } from './supervisor-events.js';
import type { Timers } from './timers.js';

export interface RestartPartDeps {
  readonly lookup: ContainerLookup;
  /** Whether the user stopped the container's last run through tscompose (stop, kill, down). */
  readonly stoppedByUser: (id: string) => Promise<boolean>;
  /** Starts the container again, counting the restart; resolves with the run's startedAt. */
  readonly start: (id: string) => Promise<string | undefined>;
  readonly containerDir: (id: string) => string;
  readonly watchDir: DirWatch;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly emit: SupervisorEventSink;
  readonly log: (line: string) => void;
  /** Called when a new run of a container is seen (a restart here, or a start by a command), so the health part starts it over. */
  readonly onRestarted?: (id: string) => void;
  /** Where the part keeps, per container, what it handled: a new supervisor carries on from there. */
  readonly memory: RestartMemoryStore;
  /** The scan that catches what inotify missed (a monitor that died without an exit file); default 1 s. */
  readonly scanMs?: number;
}

/** What the restart part keeps of one container across supervisors. */
export interface RestartRecord {
  /** The run (startedAt) whose end was handled: reported and decided on. */
  readonly handledRun: string;
  readonly attempts: number;
  readonly backoffMs: number;
}

export interface RestartMemoryStore {
  read(id: string): Promise<RestartRecord | undefined>;
  write(id: string, record: RestartRecord): Promise<void>;
}

interface Watch {
  target: RestartTarget;
  unwatch: () => void;
  /** The run (startedAt) whose end was handled. */
  handled?: string;
  /** The last run seen running. */
  seen?: string;
  memory: RestartMemory;
  timer?: unknown;
  chain: Promise<void>;
  /** The look queued and not begun yet: a change meanwhile is seen by it, so it is not queued again. */
  queued?: Promise<void>;
  closed: boolean;
}

/**
 * Watches the project's containers for exits (inotify on each container directory, with a scan as a
 * fallback), reports each death, and starts a container again when its policy says so, after the
 * back-off. A container the user stopped is left alone.
 */
export class RestartPart implements SupervisorPart {
  readonly section = 'restart';
  private readonly watches = new Map<string, Watch>();
  private scanTimer: unknown;

  constructor(private readonly deps: RestartPartDeps) {}

  async reconcile(section: unknown): Promise<void> {
    const { containers } = parseRestartSection(section);
    const wanted = new Map(containers.map((t) => [t.id, t]));
    for (const id of [...this.watches.keys()]) if (!wanted.has(id)) this.drop(id);
    for (const target of wanted.values()) {
      const watch = this.watches.get(target.id);
      if (watch !== undefined) {
        watch.target = target;
        continue;
      }
      const created: Watch = { target, unwatch: () => undefined, memory: { attempts: -1, backoffMs: 0 }, chain: Promise.resolve(), closed: false };
      created.unwatch = this.deps.watchDir(this.deps.containerDir(target.id), () => this.check(created));
      this.watches.set(target.id, created);
    }
    await Promise.all([...this.watches.values()].map((w) => this.check(w)));
    this.armScan();
  }

  async close(): Promise<void> {
    if (this.scanTimer !== undefined) this.deps.timers.clear(this.scanTimer);
    this.scanTimer = undefined;
    const chains = [...this.watches.values()].map((w) => w.chain);
    for (const id of [...this.watches.keys()]) this.drop(id);
    await Promise.all(chains);
  }

  snapshot(): Record<string, { policy: string; restarts: number; pending: boolean }> {
    return Object.fromEntries([...this.watches].map(([id, w]) => [id, { policy: w.target.policy.name, restarts: Math.max(0, w.memory.attempts), pending: w.timer !== undefined }]));
  }

  private armScan(): void {
    if (this.scanTimer !== undefined || this.watches.size === 0) return;
    this.scanTimer = this.deps.timers.set(() => {
      this.scanTimer = undefined;
      void Promise.all([...this.watches.values()].map((w) => this.check(w))).then(() => this.armScan());
    }, this.deps.scanMs ?? 1_000);
  }

  private drop(id: string): void {
    const watch = this.watches.get(id);
    if (watch === undefined) return;
    watch.closed = true;
    watch.unwatch();
    if (watch.timer !== undefined) this.deps.timers.clear(watch.timer);
    this.watches.delete(id);
  }

  /** Looks at the container once more; looks at one container never overlap, and changes while one waits share it. */
  private check(watch: Watch): Promise<void> {
    if (watch.queued !== undefined) return watch.queued;
    const queued = watch.chain.then(() => {
      watch.queued = undefined;
      return this.look(watch);
    }).catch((err: unknown) => this.deps.log(`restart ${short(watch)}: ${errorText(err)}`));
    watch.queued = queued;
    watch.chain = queued;
    return queued;
  }

  private async look(watch: Watch): Promise<void> {
    if (watch.closed) return;
    const view = await this.deps.lookup(watch.target.id);
    if (watch.closed) return;
    if (view === undefined) return this.drop(watch.target.id);
    if (watch.memory.attempts < 0) {
      const kept = await this.deps.memory.read(view.id).catch(() => undefined);
      watch.memory = kept === undefined ? { attempts: view.restartCount, backoffMs: 0 } : { attempts: kept.attempts, backoffMs: kept.backoffMs };
      watch.handled = kept?.handledRun;
    }
    if (view.status === 'running' && view.startedAt !== undefined && view.startedAt !== watch.seen) {
      if (watch.seen !== undefined) this.deps.onRestarted?.(view.id);
      watch.seen = view.startedAt;
    }
    if (view.status !== 'exited' || view.startedAt === undefined || watch.handled === view.startedAt) return;
    watch.handled = view.startedAt;
    const finished = view.finishedAt === undefined ? this.deps.clock.now() : Date.parse(view.finishedAt);
    await this.deps.emit({ action: 'die', id: view.id, time: new Date(finished).toISOString(), attributes: { exitCode: String(view.exit === undefined ? 0 : statusCode(view.exit)), ...(view.exit?.signal ? { signal: view.exit.signal } : {}) } });
    const decision = decideRestart(watch.target.policy, {
      exitCode: view.exit?.exitCode ?? null,
      signal: view.exit?.signal ?? null,
      ranMs: Math.max(0, finished - Date.parse(view.startedAt)),
      stoppedByUser: await this.deps.stoppedByUser(view.id),
    }, watch.memory);
    if (decision.restart) watch.memory = decision.memory;
    await this.deps.memory.write(view.id, { handledRun: view.startedAt, ...watch.memory });
    if (!decision.restart) {
      if (watch.target.policy.name !== 'no') this.deps.log(`restart ${short(watch)}: not restarted: ${decision.reason}`);
      return;
    }
    const run = view.startedAt;
    watch.timer = this.deps.timers.set(() => {
      watch.timer = undefined;
      watch.chain = watch.chain.then(() => this.restart(watch, run)).catch((err: unknown) => this.deps.log(`restart ${short(watch)}: ${errorText(err)}`));
    }, decision.delayMs);
  }

  private async restart(watch: Watch, run: string): Promise<void> {
    if (watch.closed) return;
    const view: ContainerView | undefined = await this.deps.lookup(watch.target.id);
    // Someone else started it meanwhile, or the user stopped it, or it is gone: nothing to do.
    if (view === undefined || view.status !== 'exited' || view.startedAt !== run || (await this.deps.stoppedByUser(view.id))) return;
    const startedAt = await this.deps.start(view.id);
    await this.deps.emit({ action: 'start', id: view.id, time: startedAt ?? new Date(this.deps.clock.now()).toISOString(), attributes: { restartCount: String(view.restartCount + 1) } });
    this.deps.onRestarted?.(view.id);
  }
}

const short = (watch: Watch): string => watch.target.id.slice(0, 12);
