import { eventsLogPath } from '../orchestrator/events-log.js';
import { followEvents } from '../orchestrator/follow-events.js';
import { LABELS } from '../orchestrator/labels.js';
import { observeProject } from '../orchestrator/observe.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { FileLock } from '../state/lock.js';
import type { StatePaths } from '../state/paths.js';
import type { FollowEvent } from './followed-logs.js';
import type { LateContainers } from './stream-logs.js';

/** How often a follower whose container stopped looks whether it runs again. */
const RESTART_POLL_MS = 100;

export interface ProjectFollow {
  readonly runtime: Runtime;
  readonly paths: StatePaths;
  readonly project: string;
  /** The services followed (none: all). */
  readonly services: readonly string[];
  /** When following began (ms): events from then on. */
  readonly beganAt: number;
  readonly now: () => number;
}

/**
 * The containers of a project's followed services that start while `logs -f` runs, learnt of from the
 * project's event log (`up` writes `create`/`start`, the supervisor a restart's `die`/`start`).
 */
export class EventLogLateContainers implements LateContainers {
  constructor(private readonly follow: ProjectFollow) {}

  async *events(signal: AbortSignal): AsyncIterable<FollowEvent> {
    yield* followEvents(this.path(), { follow: true, sinceMs: this.follow.beganAt, services: this.follow.services, signal, now: this.follow.now });
  }

  async written(): Promise<FollowEvent[]> {
    const out: FollowEvent[] = [];
    for await (const event of followEvents(this.path(), { follow: false, sinceMs: this.follow.beganAt, services: this.follow.services, now: this.follow.now })) out.push(event);
    return out;
  }

  busy(): Promise<boolean> {
    return FileLock.isHeld(this.follow.paths.projectLock(this.follow.project));
  }

  async find(id: string): Promise<ContainerInfo | undefined> {
    const info = await this.follow.runtime.inspect(id).catch(() => undefined);
    if (info === undefined || info.labels[LABELS.project] !== this.follow.project || info.labels[LABELS.oneoff] === 'True') return undefined;
    const services = this.follow.services;
    return services.length === 0 || services.includes(info.labels[LABELS.service] ?? '') ? info : undefined;
  }

  private path(): string {
    return eventsLogPath(this.follow.paths, this.follow.project);
  }
}

/**
 * Whether a followed container that stopped runs again (`restart`, `start` and restart policies keep
 * its id): true once it does, false once it is gone, or once none of the followed containers runs
 * while no tscompose holds the project's lock (a `restart` holds it from the stop to the start), or
 * when the signal aborts.
 */
export async function startedAgain(follow: ProjectFollow, followed: readonly string[], container: ContainerInfo, signal?: AbortSignal): Promise<boolean> {
  const ids = new Set(followed);
  const running = (c: ContainerInfo | undefined): boolean => c?.status === 'running' || c?.status === 'paused';
  while (signal?.aborted !== true) {
    const now = (await observeProject(follow.runtime, follow.project)).filter((c) => ids.has(c.id));
    const mine = now.find((c) => c.id === container.id);
    if (running(mine)) return true;
    if (mine === undefined) return false;
    if (!now.some(running) && !(await FileLock.isHeld(follow.paths.projectLock(follow.project)))) return false;
    await new Promise((resolve) => setTimeout(resolve, RESTART_POLL_MS));
  }
  return false;
}
