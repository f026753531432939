import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/net/dns/dns-decode.js';
import { encodeMessage } from '../../../../src/net/dns/dns-encode.js';
import { DnsForwarder, upstreamsFromResolvConf } from '../../../../src/net/dns/dns-forwarder.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, ipv4Of, type DnsMessage } from '../../../../src/net/dns/dns-message.js';
import { DnsRecordTable } from '../../../../src/net/dns/dns-records.js';
import { DnsResponder } from '../../../../src/net/dns/dns-responder.js';
import { TcpFrames, frame } from '../../../../src/net/dns/tcp-frames.js';

let nextId = 1;
const query = (name: string, type: number = DNS_TYPE.A): Buffer => encodeMessage({
  header: { id: nextId++, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
  questions: [{ name, type, class: DNS_CLASS_IN }], answers: [], authorities: [], additionals: [],
});

function decoded(bytes: Buffer): DnsMessage {
  const result = decodeMessage(bytes);
  if ('error' in result) throw new Error(result.error);
  return result.message;
}

async function askUdp(responder: DnsResponder, bytes: Buffer): Promise<DnsMessage> {
  const client = createSocket('udp4');
  try {
    const reply = once(client, 'message');
    client.send(bytes, responder.port, responder.address);
    const [message] = (await reply) as [Buffer];
    return decoded(message);
  } finally {
    client.close();
  }
}

async function askTcp(responder: DnsResponder, bytes: Buffer): Promise<DnsMessage> {
  const socket = connect({ host: responder.address, port: responder.port });
  const frames = new TcpFrames();
  try {
    await once(socket, 'connect');
    socket.write(frame(bytes));
    for (;;) {
      const [chunk] = (await once(socket, 'data')) as [Buffer];
      const [message] = frames.push(chunk);
      if (message !== undefined) return decoded(message);
    }
  } finally {
    socket.destroy();
  }
}

const TABLE = {
  web: ['172.30.0.2', '172.30.0.3', '172.30.0.4'],
  'web.shop': ['172.30.0.2', '172.30.0.3', '172.30.0.4'],
  'shop-db-1': ['172.30.0.5'],
  database: ['172.30.0.5'],
};

const running: DnsResponder[] = [];
async function responder(address: string, options: Partial<ConstructorParameters<typeof DnsResponder>[0]> = {}): Promise<DnsResponder> {
  const r = new DnsResponder({ address, port: 0, table: new DnsRecordTable(TABLE), ...options });
  await r.start();
  running.push(r);
  return r;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.close()));
});

describe('DnsResponder', () => {
  it('answers every replica of a service over UDP, rotating the order per query', async () => {
    const dns = await responder('127.0.0.1');
    const orders: string[][] = [];
    for (let i = 0; i < 3; i++) orders.push((await askUdp(dns, query('web'))).answers.map(ipv4Of));
    expect(orders).toEqual([
      ['172.30.0.2', '172.30.0.3', '172.30.0.4'],
      ['172.30.0.3', '172.30.0.4', '172.30.0.2'],
      ['172.30.0.4', '172.30.0.2', '172.30.0.3'],
    ]);
  });

  it('answers aliases, container names and service.project, whatever their case, with the TTL it chose', async () => {
    const dns = await responder('127.0.0.2');
    const reply = await askUdp(dns, query('DataBase'));
    expect(reply.header).toMatchObject({ qr: true, aa: true, rcode: DNS_RCODE.NOERROR, rd: true });
    expect(reply.questions[0]?.name).toBe('DataBase');
    expect(reply.answers.map((a) => [a.name, ipv4Of(a), a.ttl])).toEqual([['DataBase', '172.30.0.5', 10]]);
    expect((await askUdp(dns, query('shop-db-1.'))).answers.map(ipv4Of)).toEqual(['172.30.0.5']);
    expect((await askUdp(dns, query('WEB.shop'))).answers).toHaveLength(3);
  });

  it('gives an empty NOERROR for AAAA of a known name and SERVFAIL for unknown names when it cannot forward', async () => {
    const dns = await responder('127.0.0.3');
    const aaaa = await askUdp(dns, query('web', DNS_TYPE.AAAA));
    expect(aaaa.header.rcode).toBe(DNS_RCODE.NOERROR);
    expect(aaaa.answers).toEqual([]);
    const unknown = await askUdp(dns, query('nowhere.example'));
    expect(unknown.header.rcode).toBe(DNS_RCODE.SERVFAIL);
    expect(unknown.header.ra).toBe(false);
    expect(unknown.answers).toEqual([]);
  });

  it('answers over TCP on the same port', async () => {
    const dns = await responder('127.0.0.4');
    const reply = await askTcp(dns, query('web.shop'));
    expect(reply.answers.map(ipv4Of).sort()).toEqual(['172.30.0.2', '172.30.0.3', '172.30.0.4']);
  });

  it('forwards names it does not know to its upstreams and relays their answer', async () => {
    const upstream = await responder('127.0.0.5', { table: new DnsRecordTable({ 'outside.example': ['198.51.100.7'] }) });
    const dead = { address: '127.0.0.6', port: upstream.port };
    const dns = await responder('127.0.0.7', { forwarder: new DnsForwarder([dead, { address: upstream.address, port: upstream.port }], 300) });
    const reply = await askUdp(dns, query('outside.example'));
    expect(reply.header.rcode).toBe(DNS_RCODE.NOERROR);
    expect(reply.answers.map(ipv4Of)).toEqual(['198.51.100.7']);
    expect((await askTcp(dns, query('outside.example'))).answers.map(ipv4Of)).toEqual(['198.51.100.7']);
    // What the upstream does not know either comes back as the upstream said (SERVFAIL from this one).
    expect((await askUdp(dns, query('nothing.example'))).header.rcode).toBe(DNS_RCODE.SERVFAIL);
    // Its own names are still answered locally.
    expect((await askUdp(dns, query('database'))).answers.map(ipv4Of)).toEqual(['172.30.0.5']);
  });

  it('replies FORMERR to a malformed query and truncates a large answer over UDP but not over TCP', async () => {
    const many = Array.from({ length: 60 }, (_, i) => `10.9.${Math.floor(i / 200)}.${(i % 200) + 2}`);
    const dns = await responder('127.0.0.8', { table: new DnsRecordTable({ big: many }) });
    const broken = Buffer.from('beef01000001000000000000c00c00010001', 'hex');
    const formerr = await askUdp(dns, broken);
    expect(formerr.header).toMatchObject({ id: 0xbeef, rcode: DNS_RCODE.FORMERR });
    const udp = await askUdp(dns, query('big'));
    expect(udp.header.tc).toBe(true);
    expect(udp.answers.length).toBeLessThan(60);
    const tcp = await askTcp(dns, query('big'));
    expect(tcp.header.tc).toBe(false);
    expect(tcp.answers).toHaveLength(60);
  });

  it('serves a new table once swapped in', async () => {
    const dns = await responder('127.0.0.9');
    dns.table = new DnsRecordTable({ fresh: ['10.0.0.9'] });
    expect((await askUdp(dns, query('fresh'))).answers.map(ipv4Of)).toEqual(['10.0.0.9']);
    expect((await askUdp(dns, query('web'))).header.rcode).toBe(DNS_RCODE.SERVFAIL);
  });

  it('fails to start with a KERNEL error naming the address when it cannot bind', async () => {
    await expect(new DnsResponder({ address: '192.0.2.1', port: 0 }).start()).rejects.toMatchObject({ code: 'KERNEL', message: expect.stringContaining('192.0.2.1') });
  });
});

describe('upstreamsFromResolvConf', () => {
  it('reads nameservers, skipping comments, options and excluded addresses', () => {
    const text = '# generated\nsearch lan\nnameserver 192.0.2.53\nnameserver fe80::1%eth0 ; link\noptions ndots:2\nnameserver 10.5.0.1\n';
    expect(upstreamsFromResolvConf(text, ['10.5.0.1'])).toEqual([{ address: '192.0.2.53', port: 53 }, { address: 'fe80::1', port: 53 }]);
  });
});
