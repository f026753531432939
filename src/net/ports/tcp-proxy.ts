import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { bindError } from './socket-port-probe.js';

export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
}

export interface TcpProxyOptions {
  hostIp: string;
  /** 0 asks the kernel for a port (tests). */
  hostPort: number;
  target: ProxyTarget;
  log?: (line: string) => void;
}

/**
 * A published TCP port: accepts on the host address and pipes each connection to the container's
 * address, both ways. Each direction ends on its own (a client that half-closes still gets the
 * rest of the answer); an error on either side ends both. The target can change while it runs
 * (a recreated container has a new address); open connections keep theirs.
 */
export class TcpProxy {
  target: ProxyTarget;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(private readonly options: TcpProxyOptions) {
    this.target = options.target;
  }

  get port(): number {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.hostPort;
  }

  async start(): Promise<void> {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => this.relay(client));
    try {
      server.listen({ host: this.options.hostIp, port: this.options.hostPort, exclusive: true, backlog: 511 });
      await Promise.race([once(server, 'listening'), once(server, 'error').then(([err]) => Promise.reject(err))]);
    } catch (err) {
      server.close();
      throw bindError(this.options.hostIp, this.options.hostPort, 'tcp', err);
    }
    server.on('error', (err) => this.options.log?.(`port ${this.options.hostIp}:${this.port}/tcp: ${err.message}`));
    this.server = server;
  }

  private relay(client: Socket): void {
    const upstream = connect({ host: this.target.host, port: this.target.port, allowHalfOpen: true });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => this.sockets.delete(socket));
    }
    const fail = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', (err) => {
      this.options.log?.(`port ${this.options.hostIp}:${this.port}/tcp -> ${this.target.host}:${this.target.port}: ${err.message}`);
      fail();
    });
    upstream.on('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    // A side that is fully closed takes the other with it once that one has finished writing.
    client.on('close', () => { if (!upstream.writableEnded) upstream.destroy(); });
    upstream.on('close', () => { if (!client.writableEnded) client.destroy(); });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
