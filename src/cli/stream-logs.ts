import { TscError } from '../errors/index.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LogsOptions } from '../runtime/logs.js';
import { FollowedLogs, type Attachment, type FollowEvent } from './followed-logs.js';
import { LogLines, LogPrefixer, displayName } from './render/log-prefix.js';

/** While a lock is held and nothing is followed, how often the follower looks again whether it is free. */
const BUSY_POLL_MS = 100;

/** Where containers that start while `logs -f` runs are learnt of. */
export interface LateContainers {
  /** The project's container events from when following began, as they are written, until the signal aborts. */
  events(signal: AbortSignal): AsyncIterable<FollowEvent>;
  /** Every event written so far since following began: read once no log is followed any more, so none is missed. */
  written(): Promise<FollowEvent[]>;
  /** Whether a command that may start containers (it holds the project's lock) is still at work. */
  busy(): Promise<boolean>;
  /** The container an event names, when it still exists and is one to follow. */
  find(id: string): Promise<ContainerInfo | undefined>;
}

export interface StreamOptions {
  project: string;
  follow: boolean;
  timestamps?: boolean;
  prefix?: boolean;
  colour?: boolean;
  tail?: number;
  /** Only records at or after / at or before these times (ms since the epoch). */
  since?: number;
  until?: number;
  /** The least width of the name column (names of containers that may start later). */
  width?: number;
  signal?: AbortSignal;
  /**
   * With `follow`: called when a container's log ends because it stopped, with every container
   * followed so far. Resolving true follows it again from the first record not printed yet (it was
   * started again); false ends its stream.
   */
  again?: (container: ContainerInfo, followed: readonly string[]) => Promise<boolean>;
  /** With `follow`: containers started later are followed too, until no log is followed and nothing is busy. */
  late?: LateContainers;
  /** When following began (ms); default now. */
  beganAt?: number;
  write?: (text: string) => void;
  /** Called when a container's log ends because it stopped. */
  onEnd?: (container: ContainerInfo) => void;
}

/**
 * Prints the logs of several containers interleaved as they come, each line behind its `web-1  | `
 * prefix. With `follow` it returns once every followed container has stopped and no container was
 * started meanwhile (or the signal aborts); with `late`, containers that start meanwhile are followed too.
 */
export async function streamLogs(runtime: Runtime, containers: ContainerInfo[], options: StreamOptions): Promise<void> {
  const names = containers.map((c) => displayName(options.project, c.name));
  const prefixer = new LogPrefixer(Math.max(options.width ?? 0, ...names.map((n) => n.length)), options.colour ?? true);
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const followed = new FollowedLogs({
    ...(options.tail === undefined ? {} : { tail: options.tail }),
    ...(options.since === undefined ? {} : { sinceMs: options.since }),
  }, options.beganAt ?? Date.now());
  const aborted = (): boolean => options.signal?.aborted === true;

  const stream = async (container: ContainerInfo, first: Attachment): Promise<void> => {
    const name = displayName(options.project, container.name);
    const head = (): string => (options.prefix === false ? '' : prefixer.prefix(name));
    let attachment: Attachment | undefined = first;
    while (attachment !== undefined) {
      const logOptions: LogsOptions = {
        follow: options.follow,
        ...(attachment.tail === undefined ? {} : { tail: attachment.tail }),
        ...(attachment.sinceMs === undefined ? {} : { since: attachment.sinceMs }),
        ...(options.until === undefined ? {} : { until: options.until }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      };
      let skip = attachment.skip;
      const lines = new LogLines(head, options.timestamps === true);
      for await (const record of runtime.logs(container.id, logOptions)) {
        if (skip > 0) {
          skip--;
          continue;
        }
        // Where the log was printed up to matters only to a resume, which only following does.
        if (options.follow) followed.printed(container.id, Date.parse(record.time));
        const text = lines.push(record);
        if (text !== '') write(text);
      }
      const rest = lines.end();
      if (rest !== '') write(rest);
      const again = options.follow && !aborted() && options.again !== undefined && await options.again(container, followed.ids);
      attachment = again ? followed.resume(container.id) : undefined;
    }
    followed.ended(container.id);
    if (!aborted()) options.onEnd?.(container);
  };

  const running = new Set<Promise<void>>();
  let woken: (() => void) | undefined;
  // The first stream that fails ends the whole (the caller aborts the others through its signal).
  let fail: (err: unknown) => void = () => undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined);
  const track = (work: Promise<void>): void => {
    const done: Promise<void> = work.catch(fail).finally(() => running.delete(done));
    running.add(done);
    woken?.();
  };
  for (const container of containers) {
    const attachment = followed.present(container.id);
    if (attachment !== undefined) track(stream(container, attachment));
  }
  const idle = async (): Promise<void> => {
    while (running.size > 0) await Promise.race([Promise.all(running), failed]);
  };
  const late = options.late;
  if (!options.follow || late === undefined) return idle();

  // A start event of a container to follow: found (it may be gone already), then streamed.
  const join = (event: FollowEvent): void => {
    const attachment = followed.event(event);
    if (attachment === undefined) return;
    const gone = (): void => followed.ended(event.id);
    track(late.find(event.id).then(async (container) => {
      if (container === undefined) return gone();
      // A container removed right after it started (another recreate) has no log left to read.
      await stream(container, attachment).catch((err: unknown) => {
        if (!(err instanceof TscError && err.code === 'CONTAINER_NOT_FOUND')) throw err;
        gone();
      });
    }));
  };
  const watching = new AbortController();
  const onAbort = (): void => watching.abort();
  options.signal?.addEventListener('abort', onAbort);
  // Should the live reader fail, the full read once nothing is followed still finds what it missed.
  const listening = (async () => {
    for await (const event of late.events(watching.signal)) join(event);
  })().catch(() => undefined);
  try {
    for (;;) {
      await idle();
      if (aborted()) break;
      // A command at work on the project (a recreate between its stop and its start) may start more.
      if (await late.busy()) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, BUSY_POLL_MS);
          woken = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        woken = undefined;
        continue;
      }
      // Nothing followed and nothing busy: the events written up to now, in case the live reader is behind.
      for (const event of await late.written()) join(event);
      if (running.size === 0) break;
    }
  } finally {
    watching.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await listening;
  }
}
