import { createServer, type Server, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { unlink } from 'node:fs/promises';
import { socketAddress, type SocketAddress } from '../../util/socket-address.js';
import { parseRequest, type SupervisorRequest, type SupervisorResponse } from './protocol.js';

export type RequestHandler = (request: SupervisorRequest) => Promise<SupervisorResponse>;

/**
 * The unix socket server: JSON lines in, JSON lines out, answers in the order of the requests. A
 * path too long for sun_path is bound through a descriptor of its directory, kept until the server
 * closes (the socket file is unlinked through the same address).
 */
export class SocketServer {
  private server: Server | undefined;
  private address: SocketAddress | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly path: string, private readonly handle: RequestHandler) {}

  async listen(): Promise<void> {
    // Only the lock holder gets here, so a socket file left by a dead supervisor is stale.
    await unlink(this.path).catch(() => undefined);
    const address = await socketAddress(this.path);
    const server = createServer((socket) => this.serve(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(address.address, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await address.release();
      throw err;
    }
    this.server = server;
    this.address = address;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.end();
    setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 500).unref();
    await closed;
    await this.address?.release();
    this.address = undefined;
    await unlink(this.path).catch(() => undefined);
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let chain = Promise.resolve();
    const lines = createInterface({ input: socket, crlfDelay: Infinity });
    lines.on('line', (line) => {
      if (line.trim() === '') return;
      chain = chain.then(async () => {
        const request = parseRequest(line);
        const response: SupervisorResponse = request === undefined
          ? { ok: false, error: { code: 'USAGE', message: `not a request: ${line.slice(0, 200)}` } }
          : await this.handle(request);
        if (!socket.destroyed) socket.write(`${JSON.stringify(response)}\n`);
      });
    });
  }
}
