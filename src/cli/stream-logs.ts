import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import type { LogsOptions } from '../runtime/logs.js';
import { LogPrefixer, displayName } from './render/log-prefix.js';

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
  signal?: AbortSignal;
  /**
   * With `follow`: called when a container's log ends because it stopped. Resolving true follows it
   * again from the first record not printed yet (it was started again); false ends its stream.
   */
  again?: (container: ContainerInfo) => Promise<boolean>;
  write?: (text: string) => void;
  /** Called when a container's log ends because it stopped. */
  onEnd?: (container: ContainerInfo) => void;
}

/**
 * Prints the logs of several containers interleaved as they come, each line behind its `web-1  | `
 * prefix. With `follow` it returns once every container has stopped (or the signal aborts).
 */
export async function streamLogs(runtime: Runtime, containers: ContainerInfo[], options: StreamOptions): Promise<void> {
  const names = containers.map((c) => displayName(options.project, c.name));
  const prefixer = new LogPrefixer(Math.max(0, ...names.map((n) => n.length)), options.colour ?? true);
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  await Promise.all(containers.map(async (container, i) => {
    const name = names[i] ?? container.name;
    // Where the last record printed was: a log followed again resumes after it (records of one ms keep their order).
    let last: { time: number; count: number } | undefined;
    for (;;) {
      const logOptions: LogsOptions = {
        follow: options.follow,
        ...(last === undefined && options.tail !== undefined ? { tail: options.tail } : {}),
        ...(last !== undefined ? { since: last.time } : options.since === undefined ? {} : { since: options.since }),
        ...(options.until === undefined ? {} : { until: options.until }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      };
      let skip = last?.count ?? 0;
      let pending = '';
      for await (const record of runtime.logs(container.id, logOptions)) {
        if (skip > 0) {
          skip--;
          continue;
        }
        const time = Date.parse(record.time);
        last = last?.time === time ? { time, count: last.count + 1 } : { time, count: 1 };
        pending += record.log;
        if (!pending.endsWith('\n')) continue;
        const stamp = options.timestamps === true ? `${record.time} ` : '';
        const head = options.prefix === false ? '' : prefixer.prefix(name);
        write(pending.split('\n').slice(0, -1).map((line) => `${head}${stamp}${line}\n`).join(''));
        pending = '';
      }
      if (pending !== '') write(`${options.prefix === false ? '' : prefixer.prefix(name)}${pending}\n`);
      if (!options.follow || options.signal?.aborted === true || options.again === undefined || !(await options.again(container))) break;
    }
    if (options.signal?.aborted !== true) options.onEnd?.(container);
  }));
}
