import { errorText } from './error-text.js';
import type { ContainerLookup } from './container-view.js';
import { healthRecord, type HealthRecord } from './health-record.js';
import { parseHealthSection, type HealthTarget } from './health-section.js';
import { initialHealth, MAX_HEALTH_OUTPUT, nextDelayMs, recordResult, type HealthResult, type HealthState } from './health-state.js';
import type { SupervisorPart } from './part.js';
import type { SupervisorEventSink } from './supervisor-events.js';
import type { Timers } from './timers.js';
import type { Clock } from '../../util/clock.js';

/** How a check command ended (the subset of the runtime's exec result a check needs). */
export interface ProbeOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
}

export interface ProbeOptions {
  readonly args: readonly string[];
  readonly output: 'capture';
  readonly stdin: 'ignore';
  readonly maxOutputBytes: number;
  readonly timeoutMs: number;
}

/** Runs a command in a running container (the runtime's exec). */
export type ProbeExec = (id: string, options: ProbeOptions) => Promise<ProbeOutcome>;

export interface HealthPartDeps {
  readonly exec: ProbeExec;
  readonly lookup: ContainerLookup;
  /** The container's directory, where its health record goes. */
  readonly containerDir: (id: string) => string;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly emit: SupervisorEventSink;
  readonly log: (line: string) => void;
}

interface Watch {
  target: HealthTarget;
  key: string;
  /** The run being checked (its startedAt); undefined while the container does not run. */
  run?: string;
  state: HealthState;
  timer?: unknown;
  busy?: Promise<void>;
  closed: boolean;
}

/**
 * Runs each container's healthcheck on its schedule and keeps its health record. A new run of a
 * container (a restart) starts over at `starting`; a container that does not run is not checked
 * until it runs again (the restart part and reloads tell, see {@link HealthPart.containerStarted}).
 */
export class HealthPart implements SupervisorPart {
  readonly section = 'health';
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly deps: HealthPartDeps) {}

  async reconcile(section: unknown): Promise<void> {
    const { containers } = parseHealthSection(section);
    const wanted = new Map(containers.map((t) => [t.id, t]));
    for (const [id, watch] of this.watches) {
      if (wanted.get(id) === undefined || JSON.stringify(wanted.get(id)?.check) !== watch.key) this.drop(id);
    }
    await Promise.all([...wanted.values()].map(async (target) => {
      const current = this.watches.get(target.id);
      if (current === undefined) await this.adopt(target);
      else await this.containerStarted(target.id);
    }));
  }

  /** Tells that a container (re)started: a new run starts over at `starting` and its schedule begins. */
  async containerStarted(id: string): Promise<void> {
    const watch = this.watches.get(id);
    if (watch === undefined || watch.closed) return;
    await watch.busy;
    await this.sync(watch);
  }

  async close(): Promise<void> {
    const busy = [...this.watches.values()].map((w) => w.busy);
    for (const id of [...this.watches.keys()]) this.drop(id);
    await Promise.all(busy);
  }

  /** Resolves once no check is under way. */
  async idle(): Promise<void> {
    while ([...this.watches.values()].some((w) => w.busy !== undefined)) await Promise.all([...this.watches.values()].map((w) => w.busy));
  }

  /** The states of the checked containers, for `status`. */
  snapshot(): Record<string, { status: string; failingStreak: number }> {
    return Object.fromEntries([...this.watches].map(([id, w]) => [id, { status: w.state.status, failingStreak: w.state.failingStreak }]));
  }

  private async adopt(target: HealthTarget): Promise<void> {
    const watch: Watch = { target, key: JSON.stringify(target.check), state: initialHealth(), closed: false };
    this.watches.set(target.id, watch);
    await this.sync(watch);
  }

  private drop(id: string): void {
    const watch = this.watches.get(id);
    if (watch === undefined) return;
    watch.closed = true;
    if (watch.timer !== undefined) this.deps.timers.clear(watch.timer);
    this.watches.delete(id);
  }

  /** Lines the watch up with the container's current run: keeps it, starts over on a new one, or pauses. */
  private async sync(watch: Watch): Promise<void> {
    const view = await this.deps.lookup(watch.target.id);
    if (watch.closed) return;
    if (view === undefined) return this.drop(watch.target.id);
    if (view.status !== 'running' || view.startedAt === undefined) {
      watch.run = undefined;
      this.unschedule(watch);
      return;
    }
    if (watch.run === view.startedAt) return;
    watch.run = view.startedAt;
    const record = await this.store(watch).read().catch(() => undefined);
    // The supervisor restarted: the record of this very run carries on.
    watch.state = record?.containerStartedAt === view.startedAt ? record : initialHealth();
    if (record?.containerStartedAt !== view.startedAt) await this.save(watch);
    this.schedule(watch);
  }

  private unschedule(watch: Watch): void {
    if (watch.timer !== undefined) this.deps.timers.clear(watch.timer);
    watch.timer = undefined;
  }

  private schedule(watch: Watch): void {
    this.unschedule(watch);
    if (watch.run === undefined) return;
    const startedAtMs = Date.parse(watch.run);
    const nowMs = this.deps.clock.now();
    const delay = nextDelayMs(watch.target.check, watch.state, { startedAtMs, nowMs });
    // The first check of a run counts from the run's start, so an adopted run keeps its rhythm.
    const due = watch.state.log.length === 0 && watch.state.failingStreak === 0 ? Math.max(0, startedAtMs + delay - nowMs) : delay;
    watch.timer = this.deps.timers.set(() => {
      watch.timer = undefined;
      watch.busy = this.probe(watch).finally(() => {
        watch.busy = undefined;
      });
    }, due);
  }

  private async probe(watch: Watch): Promise<void> {
    const view = await this.deps.lookup(watch.target.id);
    if (watch.closed) return;
    if (view?.status !== 'running' || view.startedAt !== watch.run) {
      await this.sync(watch);
      return;
    }
    const result = await this.runCheck(watch);
    if (watch.closed) return;
    const before = watch.state.status;
    watch.state = recordResult(watch.state, result, watch.target.check, { startedAtMs: Date.parse(watch.run ?? ''), nowMs: this.deps.clock.now() });
    // The event goes first: whoever waits on the record then acts after it is in the log.
    if (watch.state.status !== before) {
      await Promise.resolve(this.deps.emit({ action: `health_status: ${watch.state.status}`, id: watch.target.id, time: result.end })).catch(() => undefined);
    }
    await this.save(watch);
    if (!watch.closed) this.schedule(watch);
  }

  private async runCheck(watch: Watch): Promise<HealthResult> {
    const { check } = watch.target;
    const start = this.iso();
    try {
      const out = await this.deps.exec(watch.target.id, {
        args: check.command, output: 'capture', stdin: 'ignore', maxOutputBytes: MAX_HEALTH_OUTPUT, timeoutMs: check.timeoutMs,
      });
      const end = this.iso();
      if (out.timedOut) return { start, end, exitCode: -1, output: `Health check exceeded timeout (${check.timeoutMs} ms)` };
      const output = `${out.stdout ?? ''}${out.stderr ?? ''}`.slice(0, MAX_HEALTH_OUTPUT);
      return { start, end, exitCode: out.exitCode ?? -1, output: out.exitCode === null ? `${output}killed by ${out.signal ?? 'a signal'}` : output };
    } catch (err) {
      const text = errorText(err);
      this.deps.log(`health ${watch.target.id.slice(0, 12)}: ${text}`);
      return { start, end: this.iso(), exitCode: -1, output: text.slice(0, MAX_HEALTH_OUTPUT) };
    }
  }

  private store(watch: Watch): ReturnType<typeof healthRecord> {
    return healthRecord(this.deps.containerDir(watch.target.id));
  }

  private async save(watch: Watch): Promise<void> {
    if (watch.run === undefined) return;
    const record: HealthRecord = { version: 1, containerStartedAt: watch.run, ...watch.state };
    await this.store(watch).write(record).catch((err: unknown) => this.deps.log(`health ${watch.target.id.slice(0, 12)}: cannot write its record: ${errorText(err)}`));
  }

  private iso(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}
