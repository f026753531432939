import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import { TcpFrames, frame } from './tcp-frames.js';

export interface DnsUpstream {
  readonly address: string;
  readonly port: number;
}

/**
 * Asks upstream resolvers (the host's, from /etc/resolv.conf) about names a network's resolver does
 * not know. The query bytes go out as they came, so the answer carries the client's id; each try
 * uses a fresh socket (a fresh source port). Upstreams are tried in order, each with a deadline.
 */
export class DnsForwarder {
  constructor(readonly upstreams: readonly DnsUpstream[], private readonly timeoutMs = 2000) {}

  /** The first answer an upstream gives, or undefined when none answered in time. */
  async forward(query: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> {
    for (const upstream of this.upstreams) {
      const answer = await (transport === 'udp' ? this.overUdp(query, upstream) : this.overTcp(query, upstream)).catch(() => undefined);
      if (answer !== undefined) return answer;
    }
    return undefined;
  }

  private overUdp(query: Buffer, upstream: DnsUpstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const socket = createSocket(isIPv6(upstream.address) ? 'udp6' : 'udp4');
      const done = (answer: Buffer | undefined): void => {
        clearTimeout(timer);
        socket.close();
        resolve(answer);
      };
      const timer = setTimeout(() => done(undefined), this.timeoutMs);
      socket.on('error', () => done(undefined));
      socket.on('message', (message) => {
        if (message.length >= 2 && message.readUInt16BE(0) === query.readUInt16BE(0)) done(message);
      });
      socket.send(query, upstream.port, upstream.address);
    });
  }

  private overTcp(query: Buffer, upstream: DnsUpstream): Promise<Buffer | undefined> {
    return new Promise((resolve) => {
      const socket = connect({ host: upstream.address, port: upstream.port });
      const frames = new TcpFrames();
      const done = (answer: Buffer | undefined): void => {
        socket.destroy();
        resolve(answer);
      };
      socket.setTimeout(this.timeoutMs, () => done(undefined));
      socket.on('error', () => done(undefined));
      socket.on('connect', () => socket.write(frame(query)));
      socket.on('data', (chunk) => {
        const [answer] = frames.push(chunk);
        if (answer !== undefined) done(answer);
      });
      socket.on('end', () => done(undefined));
    });
  }
}

/** The nameservers of a resolv.conf text, as upstreams on port 53, leaving out `exclude`. */
export function upstreamsFromResolvConf(text: string, exclude: readonly string[] = []): DnsUpstream[] {
  const out: DnsUpstream[] = [];
  for (const line of text.split('\n')) {
    const [keyword, address] = line.replace(/[#;].*$/, '').trim().split(/\s+/);
    if (keyword !== 'nameserver' || address === undefined || address === '') continue;
    const plain = address.replace(/%.*$/, '');
    if (!exclude.includes(plain)) out.push({ address: plain, port: 53 });
  }
  return out;
}
