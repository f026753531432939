import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { statusCode } from './exit-code.js';
import { LogLines, LogPrefixer, displayName } from './render/log-prefix.js';

export interface AttacherOptions {
  project: string;
  /** Width of the name column: the longest name that may be attached. */
  width: number;
  timestamps?: boolean;
  prefix?: boolean;
  colour?: boolean;
  signal: AbortSignal;
  write?: (text: string) => void;
  /** A container's log ended because it stopped: its name and exit status (128+n for a signal). */
  onExit?: (container: ContainerInfo, status: number) => void;
}

/**
 * Follows the logs of containers as `up` starts them: each from the moment it was started (so the
 * first lines are never missed), prefixed `web-1  | `, until it stops or the signal aborts. While
 * held (a progress display owns the terminal) lines are kept and written on release.
 */
export class LogAttacher {
  private readonly following = new Map<string, Promise<void>>();
  private readonly prefixer: LogPrefixer;
  private held: string[] | undefined;
  private readonly write: (text: string) => void;

  constructor(private readonly runtime: Runtime, private readonly options: AttacherOptions) {
    this.prefixer = new LogPrefixer(options.width, options.colour ?? true);
    this.write = options.write ?? ((text) => process.stdout.write(text));
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const pending = this.held ?? [];
    this.held = undefined;
    if (pending.length > 0) this.write(pending.join(''));
  }

  /** Starts following a container (once) from `sinceMs`, epoch ms. */
  attach(container: ContainerInfo, sinceMs: number): void {
    if (this.following.has(container.id)) return;
    this.following.set(container.id, this.follow(container, sinceMs).catch((err: unknown) => {
      if (this.options.signal.aborted) return;
      this.emit(`${this.prefixer.prefix(displayName(this.options.project, container.name))}log stream ended: ${err instanceof Error ? err.message : String(err)}\n`);
    }));
  }

  /** Resolves once every attached container's log has ended (attachments made meanwhile included). */
  async done(): Promise<void> {
    let seen = 0;
    while (seen !== this.following.size) {
      seen = this.following.size;
      await Promise.all(this.following.values());
    }
  }

  private emit(text: string): void {
    if (this.held !== undefined) this.held.push(text);
    else this.write(text);
  }

  private async follow(container: ContainerInfo, sinceMs: number): Promise<void> {
    const name = displayName(this.options.project, container.name);
    const lines = new LogLines(() => (this.options.prefix === false ? '' : this.prefixer.prefix(name)), this.options.timestamps === true);
    for await (const record of this.runtime.logs(container.id, { follow: true, since: sinceMs, signal: this.options.signal })) {
      const text = lines.push(record);
      if (text !== '') this.emit(text);
    }
    const rest = lines.end();
    if (rest !== '') this.emit(rest);
    if (this.options.signal.aborted) return;
    const info = await this.runtime.inspect(container.id).catch(() => undefined);
    const status = info?.exit === undefined ? 0 : statusCode(info.exit);
    this.emit(`${name} exited with code ${status}\n`);
    this.options.onExit?.(container, status);
  }
}
