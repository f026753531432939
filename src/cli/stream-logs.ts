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
  signal?: AbortSignal;
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
    const logOptions: LogsOptions = {
      follow: options.follow,
      ...(options.tail === undefined ? {} : { tail: options.tail }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    let pending = '';
    for await (const record of runtime.logs(container.id, logOptions)) {
      pending += record.log;
      if (!pending.endsWith('\n')) continue;
      const stamp = options.timestamps === true ? `${record.time} ` : '';
      const head = options.prefix === false ? '' : prefixer.prefix(name);
      write(pending.split('\n').slice(0, -1).map((line) => `${head}${stamp}${line}\n`).join(''));
      pending = '';
    }
    if (pending !== '') write(`${options.prefix === false ? '' : prefixer.prefix(name)}${pending}\n`);
    if (options.signal?.aborted !== true) options.onEnd?.(container);
  }));
}
