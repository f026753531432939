import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { isIPv6 } from 'node:net';
import { bindError } from './socket-port-probe.js';
import type { ProxyTarget } from './tcp-proxy.js';

export interface UdpProxyOptions {
  hostIp: string;
  /** 0 asks the kernel for a port (tests). */
  hostPort: number;
  target: ProxyTarget;
  /** A flow with no datagram either way for this long is forgotten. Default 60 s. */
  idleMs?: number;
  log?: (line: string) => void;
}

interface Flow {
  readonly socket: Socket;
  timer: NodeJS.Timeout;
}

/**
 * A published UDP port: each client address gets its own flow, a socket towards the container, so
 * the container's answers find their way back to the client that asked. Flows end after being idle.
 */
export class UdpProxy {
  target: ProxyTarget;
  private socket: Socket | undefined;
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly options: UdpProxyOptions) {
    this.target = options.target;
  }

  get port(): number {
    return this.socket?.address().port ?? this.options.hostPort;
  }

  /** How many client flows are open. */
  get flowCount(): number {
    return this.flows.size;
  }

  async start(): Promise<void> {
    const socket = createSocket(isIPv6(this.options.hostIp) ? 'udp6' : 'udp4');
    try {
      socket.bind({ address: this.options.hostIp, port: this.options.hostPort, exclusive: true });
      await once(socket, 'listening'); // rejects on 'error'
    } catch (err) {
      socket.close();
      throw bindError(this.options.hostIp, this.options.hostPort, 'udp', err);
    }
    socket.on('error', (err) => this.options.log?.(`port ${this.options.hostIp}:${this.port}/udp: ${err.message}`));
    socket.on('message', (message, peer) => this.forward(message, peer));
    this.socket = socket;
  }

  private forward(message: Buffer, peer: RemoteInfo): void {
    const key = `${peer.address}:${peer.port}`;
    const flow = this.flows.get(key) ?? this.openFlow(key, peer);
    this.touch(key, flow);
    flow.socket.send(message, this.target.port, this.target.host);
  }

  private openFlow(key: string, peer: RemoteInfo): Flow {
    const target = this.target;
    const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
    const flow: Flow = { socket, timer: setTimeout(() => undefined, 0) };
    socket.on('message', (reply, from) => {
      if (from.address !== target.host || from.port !== target.port) return;
      this.touch(key, flow);
      this.socket?.send(reply, peer.port, peer.address);
    });
    socket.on('error', (err) => {
      this.options.log?.(`port ${this.options.hostIp}:${this.port}/udp -> ${target.host}:${target.port}: ${err.message}`);
      this.endFlow(key);
    });
    this.flows.set(key, flow);
    return flow;
  }

  private touch(key: string, flow: Flow): void {
    clearTimeout(flow.timer);
    flow.timer = setTimeout(() => this.endFlow(key), this.options.idleMs ?? 60_000);
    flow.timer.unref();
  }

  private endFlow(key: string): void {
    const flow = this.flows.get(key);
    if (flow === undefined) return;
    this.flows.delete(key);
    clearTimeout(flow.timer);
    flow.socket.close();
  }

  async close(): Promise<void> {
    for (const key of [...this.flows.keys()]) this.endFlow(key);
    const socket = this.socket;
    this.socket = undefined;
    if (socket !== undefined) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
