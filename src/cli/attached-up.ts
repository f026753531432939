import type { Project } from '../compose/model.js';
import type { ProgressSink } from '../orchestrator/events.js';
import { LABELS, containerName } from '../orchestrator/labels.js';
import { observeProject } from '../orchestrator/observe.js';
import { replicas } from '../orchestrator/up.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { isActive } from '../runtime/container-state.js';
import type { Runtime } from '../runtime/runtime.js';
import { LogAttacher } from './log-attacher.js';
import { displayName } from './render/log-prefix.js';

export interface AttachChoice {
  /** Services named on the command line (empty: all). */
  services: readonly string[];
  /** `--attach`: only these. */
  attach?: readonly string[];
  /** `--no-attach`: never these. */
  noAttach?: readonly string[];
}

/**
 * The services whose output `up` shows: `--attach` if given, else the named services (or all), less
 * those with `attach: false` and those given to `--no-attach`.
 */
export function attachedServices(project: Project, choice: AttachChoice): string[] {
  const base = choice.attach !== undefined && choice.attach.length > 0 ? choice.attach : choice.services.length > 0 ? choice.services : Object.keys(project.services);
  const explicit = choice.attach !== undefined && choice.attach.length > 0;
  return base.filter((s) => !(choice.noAttach ?? []).includes(s) && (explicit || (project.services[s] as { attach?: boolean } | undefined)?.attach !== false)).sort();
}

/** Longest `web-1` style name the attached services can have, for the prefix column. */
export function prefixWidth(project: Project, services: readonly string[], scale: Readonly<Record<string, number>> = {}): number {
  let width = 0;
  for (const s of services) {
    const config = project.services[s];
    const count = scale[s] ?? (config === undefined ? 1 : replicas(config));
    const name = containerName(project.name, s, Math.max(1, count), config?.container_name);
    width = Math.max(width, displayName(project.name, name).length);
  }
  return width;
}

export interface Abort {
  /** What ended the run: a signal, or a container (its exit status). */
  reason: 'interrupt' | 'container';
  status?: number;
  container?: string;
}

/**
 * Ties a LogAttacher to up's progress: a container is followed from the moment `up` starts it, and
 * containers already running are followed from now on. Decides when attached `up` ends.
 */
export class AttachedRun {
  /** Aborted when the run should end (Ctrl-C, an aborting exit): up stops waiting, the stack is stopped. */
  readonly stop = new AbortController();
  /** Aborted once the stack is stopped: the log followers then end (they show the shutdown until then). */
  readonly followers = new AbortController();
  readonly attacher: LogAttacher;
  aborted: Abort | undefined;
  killed = false;
  private readonly startingAt = new Map<string, number>();
  private readonly lookups = new Set<Promise<void>>();

  constructor(private readonly runtime: Runtime, private readonly project: Project, private readonly services: readonly string[], options: {
    timestamps?: boolean; prefix?: boolean; colour?: boolean; width: number;
    abortOnExit?: boolean; abortOnFailure?: boolean;
  }) {
    this.attacher = new LogAttacher(runtime, {
      project: project.name, width: options.width, timestamps: options.timestamps, prefix: options.prefix, colour: options.colour, signal: this.followers.signal,
      onExit: (container, status) => {
        if (options.abortOnExit === true || (options.abortOnFailure === true && status !== 0)) this.end({ reason: 'container', status, container: container.labels[LABELS.service] ?? container.name });
      },
    });
  }

  /** Wraps up's progress sink: a `Started` step attaches the container. */
  progress(inner: ProgressSink): ProgressSink {
    return (event) => {
      inner(event);
      if (event.kind !== 'action') return;
      if (event.status === 'working' && event.text === 'Starting') this.startingAt.set(event.resource, Date.now());
      if (event.status === 'done' && event.text === 'Started') {
        const since = this.startingAt.get(event.resource) ?? Date.now();
        const lookup = this.runtime.inspect(event.resource).then((info) => this.consider(info, since), () => undefined);
        this.lookups.add(lookup);
        void lookup.finally(() => this.lookups.delete(lookup));
      }
    };
  }

  /** After up: follow the attached containers that were already running. */
  async attachRunning(): Promise<ContainerInfo[]> {
    const now = Date.now();
    await Promise.all(this.lookups);
    const containers = (await observeProject(this.runtime, this.project.name)).filter((c) => this.services.includes(c.labels[LABELS.service] ?? ''));
    for (const c of containers) if (isActive(c.status)) this.consider(c, now);
    return containers;
  }

  /** The second Ctrl-C: SIGKILL to every running container of the project. */
  forceKill(): void {
    this.killed = true;
    void observeProject(this.runtime, this.project.name).then((all) => Promise.all(all.filter((c) => isActive(c.status)).map((c) => this.runtime.kill(c.id, 'SIGKILL').catch(() => undefined))), () => undefined);
  }

  /** Resolves when every attached log has ended or the run was told to end, whichever comes first. */
  async ended(): Promise<void> {
    const aborted = new Promise<void>((resolve) => {
      if (this.stop.signal.aborted) resolve();
      else this.stop.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await Promise.race([this.attacher.done(), aborted]);
  }

  /** After the stack is stopped: stop following and wait for the followers to finish writing. */
  async close(): Promise<void> {
    this.followers.abort();
    await this.attacher.done();
  }

  end(abort: Abort): void {
    if (this.aborted !== undefined) return;
    this.aborted = abort;
    this.stop.abort();
  }

  private consider(info: ContainerInfo, sinceMs: number): void {
    if (this.followers.signal.aborted || !this.services.includes(info.labels[LABELS.service] ?? '')) return;
    this.attacher.attach(info, sinceMs);
  }
}
