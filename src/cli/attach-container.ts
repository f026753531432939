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
  /** `run --rm`: removes the container once it ended (or when attaching failed); errors are the caller's to keep or drop. */
  readonly remove?: () => Promise<void>;
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
  const remove = async (): Promise<void> => { await options.remove?.().catch(() => undefined); };
  let attachment: ContainerAttachment | undefined;
  try {
    attachment = container.stdin !== 'none' || container.tty ? await runtime.attach(container.id) : undefined;
  } catch (err) {
    // A container that is already gone has nothing left to read; its output is still in its log.
    const state = await runtime.inspect(container.id).catch(() => undefined);
    if (state?.status === 'running' || state?.status === 'paused') {
      if (options.endOnFailure === true) await runtime.kill(container.id, 'SIGKILL').catch(() => undefined);
      await remove();
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
    // The detach ends the follow itself: a quiet container would otherwise keep it waiting for a line.
    const logs = runtime.logs(container.id, { follow: true, signal: detach.signal, ...(options.fromNow === true ? { tail: 0 } : {}) });
    for await (const record of logs) {
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
    if (!detach.signal.aborted) await remove();
  }
}

function sizeOf(out: NodeJS.WriteStream): { rows: number; columns: number } {
  return { rows: out.rows > 0 ? out.rows : 24, columns: out.columns > 0 ? out.columns : 80 };
}

/**
 * Copies `stdin` to the attachment, one chunk at a time (the stream is paused while a chunk is on its
 * way, so a slow container holds back the sender instead of filling memory), and ends the
 * container's input at end of file. With `onDetach`, Ctrl-P Ctrl-Q is not sent but calls it.
 * stop() lets go of stdin so this process can exit.
 */
function feed(stdin: NodeJS.ReadStream, attachment: ContainerAttachment, onDetach?: () => void): { stop(): void } {
  let stopped = false;
  const keys = onDetach === undefined ? undefined : detachKeys(onDetach);
  const onData = (chunk: Buffer): void => {
    const bytes = keys === undefined ? chunk : keys(chunk);
    if (bytes.length === 0) return;
    stdin.pause();
    attachment.write(bytes).then(() => { if (!stopped) stdin.resume(); }, () => undefined);
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

/**
 * A filter of typed bytes for the detach sequence Ctrl-P Ctrl-Q: what comes before it is passed on and
 * the sequence calls `onDetach` instead; a Ctrl-P is held until the next byte shows whether it starts
 * the sequence (then sent along with it when it does not), as docker's attach does.
 */
export function detachKeys(onDetach: () => void): (chunk: Uint8Array) => Buffer {
  let held = false;
  let detached = false;
  return (chunk) => {
    if (detached) return Buffer.alloc(0);
    const out: number[] = [];
    for (const byte of chunk) {
      if (held) {
        held = false;
        if (byte === CTRL_Q) {
          detached = true;
          onDetach();
          return Buffer.from(out);
        }
        out.push(CTRL_P);
      }
      if (byte === CTRL_P) held = true;
      else out.push(byte);
    }
    return Buffer.from(out);
  };
}
