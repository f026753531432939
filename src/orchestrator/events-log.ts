import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { StatePaths } from '../state/paths.js';
import type { Clock } from '../util/clock.js';
import { LABELS } from './labels.js';

/** One entry of a project's event log, shaped as `docker compose events --json` prints it. */
export interface ContainerEvent {
  /** RFC 3339 with milliseconds. */
  readonly time: string;
  readonly type: 'container';
  /** create, start, die, stop, kill, destroy, pause, unpause, `health_status: healthy`, ... */
  readonly action: string;
  readonly id: string;
  readonly service: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** What an event is told about its container. */
export interface EventSubject {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly image: { readonly reference: string };
}

export const eventsLogPath = (paths: StatePaths, project: string): string => join(paths.project(project), 'events.jsonl');

/** The event, with Compose's attributes: name, image and the user's labels (Compose's own labels left out). */
export function containerEvent(action: string, subject: EventSubject, time: string, extra: Readonly<Record<string, string>> = {}): ContainerEvent {
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(subject.labels)) if (!key.startsWith('com.docker.compose.')) attributes[key] = value;
  Object.assign(attributes, { image: subject.image.reference, name: subject.name }, extra);
  return { time, type: 'container', action, id: subject.id, service: subject.labels[LABELS.service] ?? '', attributes };
}

/**
 * The append-only `<runtime-root>/projects/<project>/events.jsonl`: the orchestrator and the supervisor
 * both append to it (one write per line, O_APPEND), `tscompose events` follows it.
 */
export class EventsLog {
  constructor(private readonly paths: StatePaths, private readonly clock: Clock) {}

  /** Appends an event about a container of a project; the project comes from its labels. */
  async record(action: string, subject: EventSubject, extra?: Readonly<Record<string, string>>, time?: string): Promise<void> {
    const project = subject.labels[LABELS.project];
    if (project === undefined) return;
    await this.append(project, containerEvent(action, subject, time ?? new Date(this.clock.now()).toISOString(), extra));
  }

  async append(project: string, event: ContainerEvent): Promise<void> {
    const path = eventsLogPath(this.paths, project);
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, `${JSON.stringify(event)}\n`, { mode: 0o600 });
  }
}

/** One line of the log, or undefined for a line that is not an event (a torn write is skipped). */
export function parseEvent(line: string): ContainerEvent | undefined {
  try {
    const value = JSON.parse(line) as ContainerEvent;
    return typeof value.time === 'string' && typeof value.action === 'string' && typeof value.id === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** As `docker compose events` prints an event: `<time> container <action> <id> (k=v, ...)`. */
export function formatEvent(event: ContainerEvent): string {
  const attributes = Object.entries(event.attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`);
  return `${event.time} ${event.type} ${event.action} ${event.id} (${attributes.join(', ')})`;
}
