import type { ContainerInfo } from '../runtime/container-info.js';
import type { ContainerAttachment, Runtime } from '../runtime/runtime.js';
import { statusCode } from './exit-code.js';

/** The terminal a one-off is attached to: this process's own stdio unless a test gives others. */
export interface AttachStdio {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

/**
 * `run` attached, as `docker compose run` behaves: the one-off's output goes to stdout and stderr
 * (its terminal's to stdout), this process's stdin is fed to the container when it keeps its stdin
 * open, and a terminal gets this terminal's size and raw keystrokes, so Ctrl-C reaches the
 * container's own foreground process. Without a terminal the first Ctrl-C forwards SIGINT, a second
 * one kills. Resolves with the container's exit status; `remove` deletes it afterwards (`--rm`).
 */
export async function attachOneOff(runtime: Runtime, container: ContainerInfo, remove: boolean, stdio: AttachStdio = process): Promise<number> {
  let attachment: ContainerAttachment | undefined;
  try {
    attachment = container.stdin !== 'none' || container.tty ? await runtime.attach(container.id) : undefined;
  } catch (err) {
    // A one-off that is already gone has nothing left to read; its output is still in its log.
    const state = await runtime.inspect(container.id).catch(() => undefined);
    if (state?.status === 'running' || state?.status === 'paused') {
      // Nobody could feed or watch it: it would wait for input forever.
      await runtime.kill(container.id, 'SIGKILL').catch(() => undefined);
      if (remove) await runtime.remove(container.id, { force: true }).catch(() => undefined);
      throw err;
    }
  }
  const raw = attachment !== undefined && container.tty && stdio.stdin.isTTY === true;
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
  const input = attachment === undefined || container.stdin === 'none' ? undefined : feed(stdio.stdin, attachment);
  try {
    for await (const record of runtime.logs(container.id, { follow: true })) {
      (record.stream === 'stderr' ? stdio.stderr : stdio.stdout).write(record.log);
    }
    return statusCode(await runtime.wait(container.id));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stdio.stdout.off('resize', onResize);
    if (raw) stdio.stdin.setRawMode(false);
    input?.stop();
    await attachment?.close().catch(() => undefined);
    if (remove) await runtime.remove(container.id, { force: true }).catch(() => undefined);
  }
}

function sizeOf(out: NodeJS.WriteStream): { rows: number; columns: number } {
  return { rows: out.rows > 0 ? out.rows : 24, columns: out.columns > 0 ? out.columns : 80 };
}

/**
 * Copies `stdin` to the attachment, one chunk at a time (the stream is paused while a chunk is on its
 * way, so a slow container holds back the sender instead of filling memory), and ends the
 * container's input at end of file. stop() lets go of stdin so this process can exit.
 */
function feed(stdin: NodeJS.ReadStream, attachment: ContainerAttachment): { stop(): void } {
  let stopped = false;
  const onData = (chunk: Buffer): void => {
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
