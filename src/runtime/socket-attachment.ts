import { createConnection, type Socket } from 'node:net';
import { TscError } from '../errors/index.js';
import { withSocketAddress } from '../util/socket-address.js';
import type { ContainerAttachment } from './attach.js';
import { dataFrame, endFrame, resizeFrame } from './attach-frames.js';

function gone(name: string, err: unknown): TscError {
  return new TscError('CONTAINER_BAD_STATE', `attach to container ${name}: the connection to its monitor is gone: ${(err as Error).message}`, {
    hint: 'the container has probably exited; look at its logs',
    cause: err,
  });
}

function connected(path: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path });
    socket.once('connect', () => {
      socket.off('error', reject);
      // Until an attachment takes the socket over, an error is kept quiet here: it shows at the first write.
      socket.on('error', () => undefined);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Connects to the socket at path; a path too long for sun_path is reached through a descriptor of its directory. */
export function connectAttachSocket(path: string): Promise<Socket> {
  return withSocketAddress(path, connected);
}

/** One client of a container's monitor: frames written in order on one unix socket. */
export class SocketAttachment implements ContainerAttachment {
  readonly #name: string;
  readonly #socket: Socket;
  #failure: unknown;
  #closed: Promise<void> | undefined;

  constructor(name: string, socket: Socket) {
    this.#name = name;
    this.#socket = socket;
    socket.on('error', (err) => {
      this.#failure ??= err;
    });
    // The monitor never writes to clients; what comes back is only its end of the connection.
    socket.resume();
  }

  write(data: Uint8Array | string): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    return bytes.length === 0 ? this.#check() : this.#send(dataFrame(bytes));
  }

  end(): Promise<void> {
    return this.#send(endFrame());
  }

  resize(size: { readonly rows: number; readonly columns: number }): Promise<void> {
    return this.#send(resizeFrame(size));
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve) => {
      if (this.#socket.destroyed) {
        resolve();
        return;
      }
      // What was written stays queued for the monitor after this end is gone; it then sees the departure.
      this.#socket.end(() => {
        this.#socket.destroy();
        resolve();
      });
      this.#socket.once('close', () => resolve());
    });
    return this.#closed;
  }

  #check(): Promise<void> {
    if (this.#closed !== undefined) {
      return Promise.reject(new TscError('USAGE', `attach to container ${this.#name}: the attachment is closed`, { hint: 'attach again' }));
    }
    if (this.#failure !== undefined || this.#socket.destroyed) return Promise.reject(gone(this.#name, this.#failure ?? new Error('closed')));
    return Promise.resolve();
  }

  async #send(frame: Buffer): Promise<void> {
    await this.#check();
    await new Promise<void>((resolve, reject) => {
      this.#socket.write(frame, (err) => (err === undefined || err === null ? resolve() : reject(gone(this.#name, err))));
    });
  }
}
