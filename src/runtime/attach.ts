import { TscError } from '../errors/index.js';
import { attachSocketOf, hasStdio } from './attach-socket.js';
import { observe } from './observe.js';
import type { RuntimeContext } from './runtime-context.js';
import { connectAttachSocket, SocketAttachment } from './socket-attachment.js';

/** A client of a running container's stdin or terminal (see {@link attach}). */
export interface ContainerAttachment {
  /** Bytes to the container's stdin (its terminal with tty); resolves once handed to the socket. */
  write(data: Uint8Array | string): Promise<void>;
  /** Ends the input: with stdin 'once' the container reads EOF. The attachment stays usable for resize until close(). */
  end(): Promise<void>;
  /** The terminal's window size (no effect without tty). */
  resize(size: { readonly rows: number; readonly columns: number }): Promise<void>;
  /** Leaves (with stdin 'once', this also closes the container's stdin, as docker does). */
  close(): Promise<void>;
}

/**
 * Attaches to a running container that has stdin (`open` or `once`) or a terminal: a connection to the
 * attach socket its monitor listens on. The monitor serves one client at a time; another one waits
 * (its writes are queued) until the one before has left. Output is not part of it: it is in the logs.
 */
export async function attach(ctx: RuntimeContext, ref: string): Promise<ContainerAttachment> {
  const record = await observe(ctx, await ctx.store.find(ref));
  if (record.status !== 'running' || record.container === undefined) {
    const paused = record.status === 'paused';
    throw new TscError('CONTAINER_BAD_STATE', `cannot attach to container ${record.name}: it is ${paused ? 'paused' : 'not running'}`, {
      hint: paused ? 'unpause it first' : 'start it first',
    });
  }
  if (!hasStdio(record.spec)) {
    throw new TscError('CONTAINER_BAD_STATE', `cannot attach to container ${record.name}: it has neither stdin nor a terminal`, {
      hint: 'create it with stdin open (`stdin_open: true`, `run -i`) or a terminal (`tty: true`, `run -t`)',
    });
  }
  const path = attachSocketOf(ctx.store.pathsOf(record.id));
  try {
    return new SocketAttachment(record.name, await connectAttachSocket(path));
  } catch (err) {
    throw new TscError('CONTAINER_BAD_STATE', `cannot attach to container ${record.name}: its monitor does not answer at \`${path}\`: ${(err as Error).message}`, {
      hint: 'the container may have just exited, or was started by an older tscompose: restart it',
      cause: err,
    });
  }
}
