import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, isIPv6, type Server, type Socket as TcpSocket } from 'node:net';
import { TscError } from '../../errors/index.js';
import { answerQuery, replyTo } from './dns-answer.js';
import { decodeMessage } from './dns-decode.js';
import { encodeMessage } from './dns-encode.js';
import type { DnsForwarder } from './dns-forwarder.js';
import { DNS_RCODE, DNS_UDP_LIMIT } from './dns-message.js';
import { DnsRecordTable } from './dns-records.js';
import { TcpFrames, frame } from './tcp-frames.js';

export interface DnsResponderOptions {
  /** The address to listen on: a network's gateway. */
  address: string;
  /** Default 53; 0 asks the kernel for a free port (tests). */
  port?: number;
  table?: DnsRecordTable;
  /** Where unknown names go; none means SERVFAIL for them. */
  forwarder?: DnsForwarder;
  ttl?: number;
  log?: (line: string) => void;
}

const TCP_IDLE_MS = 10_000;

/**
 * One network's resolver: answers queries over UDP and TCP on `address:port` from its record table
 * (see {@link answerQuery}), forwarding the names it does not know when it has a forwarder. The
 * table and the forwarder can be swapped while it runs.
 */
export class DnsResponder {
  table: DnsRecordTable;
  /** Tables for particular askers, by source address (a container on several networks sees all their names). */
  tablesBySource: ReadonlyMap<string, DnsRecordTable> = new Map();
  forwarder: DnsForwarder | undefined;
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private readonly connections = new Set<TcpSocket>();

  constructor(private readonly options: DnsResponderOptions) {
    this.table = options.table ?? new DnsRecordTable({});
    this.forwarder = options.forwarder;
  }

  get address(): string {
    return this.options.address;
  }

  /** The UDP port it listens on (the TCP one is the same when TCP could bind). */
  get port(): number {
    return this.udp?.address().port ?? this.options.port ?? 53;
  }

  /** Binds UDP (required) and then TCP on the same port (best effort: a failure is logged). */
  async start(): Promise<void> {
    const udp = createSocket(isIPv6(this.options.address) ? 'udp6' : 'udp4');
    udp.on('message', (message, peer) => {
      void this.answer(message, 'udp', peer.address).then((reply) => {
        if (reply !== undefined) udp.send(reply, peer.port, peer.address);
      });
    });
    try {
      udp.bind({ address: this.options.address, port: this.options.port ?? 53, exclusive: true });
      await once(udp, 'listening'); // rejects on 'error'
    } catch (err) {
      udp.close();
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      throw new TscError('KERNEL', `dns on ${this.options.address}:${this.options.port ?? 53}: bind udp: ${code}`, {
        hint: 'the address must exist on this machine (the network\'s bridge must be up) and the port must be free',
        cause: err,
      });
    }
    udp.on('error', (err) => this.options.log?.(`dns ${this.options.address}: udp: ${err.message}`));
    this.udp = udp;
    await this.startTcp(udp.address().port);
  }

  private async startTcp(port: number): Promise<void> {
    const server = createServer((socket) => this.serveTcp(socket));
    try {
      server.listen({ host: this.options.address, port, exclusive: true });
      await once(server, 'listening'); // rejects on 'error'
      server.on('error', (err) => this.options.log?.(`dns ${this.options.address}: tcp: ${err.message}`));
      this.tcp = server;
    } catch (err) {
      server.close();
      this.options.log?.(`dns ${this.options.address}:${port}: tcp not served: ${(err as Error).message}`);
    }
  }

  private serveTcp(socket: TcpSocket): void {
    this.connections.add(socket);
    const frames = new TcpFrames();
    socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.connections.delete(socket));
    socket.on('data', (chunk) => {
      for (const message of frames.push(chunk)) {
        void this.answer(message, 'tcp', socket.remoteAddress).then((reply) => {
          if (reply !== undefined && !socket.destroyed) socket.write(frame(reply));
        });
      }
    });
  }

  /** The bytes to send back for one query from `source`, or undefined to stay silent. */
  async answer(raw: Buffer, transport: 'udp' | 'tcp', source?: string): Promise<Buffer | undefined> {
    const decoded = decodeMessage(raw);
    const maxBytes = transport === 'udp' ? DNS_UDP_LIMIT : 65535;
    const forward = this.forwarder !== undefined && this.forwarder.upstreams.length > 0;
    if ('error' in decoded) {
      if (decoded.id === undefined) return undefined;
      const empty = { header: { id: decoded.id, qr: false, opcode: 0, aa: false, tc: false, rd: false, ra: false, rcode: 0 }, questions: [], answers: [], authorities: [], additionals: [] };
      return encodeMessage(replyTo(empty, DNS_RCODE.FORMERR, { forward }));
    }
    const table = (source === undefined ? undefined : this.tablesBySource.get(source.replace(/^::ffff:/, ''))) ?? this.table;
    const decision = answerQuery(decoded.message, table, { forward, ttl: this.options.ttl });
    if (decision.kind === 'ignore') return undefined;
    if (decision.kind === 'reply') return encodeMessage(decision.message, { maxBytes });
    const upstream = await this.forwarder?.forward(raw, transport);
    return upstream ?? encodeMessage(replyTo(decoded.message, DNS_RCODE.SERVFAIL, { forward }), { maxBytes });
  }

  async close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    this.udp = undefined;
    this.tcp = undefined;
    if (udp !== undefined) await new Promise<void>((resolve) => udp.close(() => resolve()));
    if (tcp !== undefined) await new Promise<void>((resolve) => tcp.close(() => resolve()));
  }
}
