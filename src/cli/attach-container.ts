import type { ContainerInfo } from '../runtime/container-info.js';
import type { ContainerAttachment, Runtime } from '../runtime/runtime.js';
import { statusCode } from './exit-code.js';

/** The terminal a container is attached to: this process's own stdio unless a test gives others. */
export interface AttachStdio {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface AttachOptions {
  /** `run --rm`: the container is removed once it ended (or when attaching failed). */
  readonly remove?: boolean;
  /** Feed this process's stdin to the container when it keeps its stdin open (`attach --no-stdin`: false). Default true. */
  readonly stdin?: boolean;
  /** Only output written from now on (`attach`); default the whole log (`run`, whose container just started). */
  readonly fromNow?: boolean;
  /** Ctrl-P Ctrl-Q on a terminal leaves the container running (`attach`). */
  readonly detachKeys?: boolean;
  /** `run`: a one-off that cannot be attached to while it runs is killed (it would wait for input forever). */
  readonly endOnFailure?: boolean;
}

/** How an attachment ended: the container's exit status, or the caller detached from it. */
export type AttachOutcome = { readonly exited: number } | { readonly detached: true };

const CTRL_P = 0x10;
const CTRL_Q = 0x11;

/**
 * Attaches this terminal to a container, as `docker compose run` and `attach` do: its output goes to
 * stdout and stderr (its terminal's to stdout), this process's stdin is fed to it when it keeps its
 * stdin open, and a terminal gets this terminal's size and raw keystrokes, so Ctrl-C reaches the
 * container's own foreground process. Without a terminal the first Ctrl-C forwards SIGINT, a second
 * one kills. Resolves when the container ended, with its exit status, or when the caller detached.
 */
export async function attachContainer(runtime: Runtime, container: ContainerInfo, options: AttachOptions = {}, stdio: AttachStdio = process): Promise<AttachOutcome> {
  const remove = options.remove === true;
  let attachment: ContainerAttachment | undefined;
  try {
    attachment = container.stdin !== 'none' || container.tty ? await runtime.attach(container.id) : undefined;
  } catch (err) {
    // A container that is already gone has nothing left to read; its output is still in its log.
    const state = await runtime.inspect(container.id).catch(() => undefined);
    if (state?.status === 'running' || state?.status === 'paused') {
      if (options.endOnFailure === true) await runtime.kill(container.id, 'SIGKILL').catch(() => undefined);
      if (remove) await runtime.remove(container.id, { force: true }).catch(() => undefined);
      throw err;
    }
  }
  const raw = attachment !== undefined && container.tty && stdio.stdin.isTTY === true;
  const detach = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    void runtime.kill(container.id, interrupts > 1 ? 'SIGKILL' : signal).catch(() => undefined);
  };
  const onResize = (): void => {
    if (attachment !== undefined) void attachment.resize(sizeOf(stdio.stdout)).catch(() => undefined);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (raw) stdio.stdin.setRawMode(true);
  if (attachment !== undefined && container.tty) {
    onResize();
    stdio.stdout.on('resize', onResize);
  }
  const feeding = attachment !== undefined && container.stdin !== 'none' && options.stdin !== false;
  const input = feeding ? feed(stdio.stdin, attachment as ContainerAttachment, raw && options.detachKeys === true ? () => detach.abort() : undefined) : undefined;
  try {
    const logs = runtime.logs(container.id, { follow: true, ...(options.fromNow === true ? { tail: 0 } : {}) });
    for await (const record of abortable(logs, detach.signal)) {
      (record.stream === 'stderr' ? stdio.stderr : stdio.stdout).write(record.log);
    }
    if (detach.signal.aborted) return { detached: true };
    return { exited: statusCode(await runtime.wait(container.id)) };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stdio.stdout.off('resize', onResize);
    if (raw) stdio.stdin.setRawMode(false);
    input?.stop();
    await attachment?.close().catch(() => undefined);
    if (remove && !detach.signal.aborted) await runtime.remove(container.id, { force: true }).catch(() => undefined);
  }
}

function sizeOf(out: NodeJS.WriteStream): { rows: number; columns: number } {
  return { rows: out.rows > 0 ? out.rows : 24, columns: out.columns > 0 ? out.columns : 80 };
}

/** The records of `source` until it ends or `signal` aborts (then the iterator is returned, closing its files). */
async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<'aborted'>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next === 'aborted' || next.done === true) return;
      yield next.value;
    }
  } finally {
    void iterator.return?.();
  }
}

/**
 * Copies `stdin` to the attachment, one chunk at a time (the stream is paused while a chunk is on its
 * way, so a slow container holds back the sender instead of filling memory), and ends the
 * container's input at end of file. With `onDetach`, Ctrl-P Ctrl-Q is not sent but calls it.
 * stop() lets go of stdin so this process can exit.
 */
function feed(stdin: NodeJS.ReadStream, attachment: ContainerAttachment, onDetach?: () => void): { stop(): void } {
  let stopped = false;
  let afterCtrlP = false;
  const onData = (chunk: Buffer): void => {
    if (onDetach !== undefined) {
      for (const byte of chunk) {
        if (afterCtrlP && byte === CTRL_Q) {
          onDetach();
          return;
        }
        afterCtrlP = byte === CTRL_P;
      }
    }
    stdin.pause();
    attachment.write(chunk).then(() => { if (!stopped) stdin.resume(); }, () => undefined);
  };
  const onEnd = (): void => { void attachment.end().catch(() => undefined); };
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  stdin.resume();
  return {
    stop(): void {
      stopped = true;
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      // A pipe or file on stdin would keep the event loop alive; a terminal is left as it was.
      if (stdin.isTTY !== true) stdin.destroy();
    },
  };
}
