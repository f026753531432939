import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/net/dns/dns-decode.js';
import { encodeMessage } from '../../../../src/net/dns/dns-encode.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, ipv4Of } from '../../../../src/net/dns/dns-message.js';
import { DnsRecordTable } from '../../../../src/net/dns/dns-records.js';
import { DnsResponder } from '../../../../src/net/dns/dns-responder.js';
import { DnsPart } from '../../../../src/runtime/supervisor/dns-part.js';
import type { DnsSection } from '../../../../src/runtime/supervisor/dns-section.js';

async function ask(address: string, port: number, name: string, from?: string): Promise<{ rcode: number; ips: string[] }> {
  const client = createSocket('udp4');
  try {
    if (from !== undefined) await new Promise<void>((resolve) => client.bind({ address: from, port: 0 }, resolve));
    const reply = once(client, 'message');
    client.send(encodeMessage({
      header: { id: 9, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, rcode: 0 },
      questions: [{ name, type: DNS_TYPE.A, class: DNS_CLASS_IN }], answers: [], authorities: [], additionals: [],
    }), port, address);
    const [bytes] = (await reply) as [Buffer];
    const decoded = decodeMessage(bytes);
    if ('error' in decoded) throw new Error(decoded.error);
    return { rcode: decoded.message.header.rcode, ips: decoded.message.answers.map(ipv4Of) };
  } finally {
    client.close();
  }
}

const parts: DnsPart[] = [];
const upstreams: DnsResponder[] = [];
afterEach(async () => {
  await Promise.all([...parts.splice(0).map((p) => p.close()), ...upstreams.splice(0).map((u) => u.close())]);
});

function part(resolvConf = ''): { part: DnsPart; lines: string[] } {
  const lines: string[] = [];
  const p = new DnsPart({ log: (l) => lines.push(l), readResolvConf: async () => resolvConf, port: 0, forwardTimeoutMs: 500 });
  parts.push(p);
  return { part: p, lines };
}

const portOf = (p: DnsPart, network: string): number => {
  const found = p.status().find((s) => s.network === network);
  if (found === undefined) throw new Error(`no resolver for ${network}`);
  return found.port;
};

describe('DnsPart', () => {
  it('runs one resolver per network on its address, each answering its own names', async () => {
    const { part: dns } = part();
    const section: DnsSection = {
      upstream: 'none',
      networks: [
        { name: 'shop_front', listen: '127.0.0.21', internal: false, records: { web: ['10.1.0.2'], proxy: ['10.1.0.3'] } },
        { name: 'shop_back', listen: '127.0.0.22', internal: true, records: { db: ['10.2.0.2'], web: ['10.2.0.3'] } },
      ],
    };
    await dns.reconcile(section);
    expect((await ask('127.0.0.21', portOf(dns, 'shop_front'), 'web')).ips).toEqual(['10.1.0.2']);
    expect((await ask('127.0.0.22', portOf(dns, 'shop_back'), 'web')).ips).toEqual(['10.2.0.3']);
    expect((await ask('127.0.0.21', portOf(dns, 'shop_front'), 'db')).rcode).toBe(DNS_RCODE.SERVFAIL);
  });

  it('answers a container on several networks with the names of all of them, the asked network first', async () => {
    const { part: dns } = part();
    await dns.reconcile({
      upstream: 'none',
      networks: [
        { name: 'shop_front', listen: '127.0.0.24', internal: false, records: { web: ['10.1.0.2'], shop: ['10.1.0.9'] }, containers: { 'shop-web-1': '127.0.0.31', 'shop-lone-1': '127.0.0.32' } },
        { name: 'shop_back', listen: '127.0.0.25', internal: true, records: { db: ['10.2.0.2'], shop: ['10.2.0.9'] }, containers: { 'shop-web-1': '10.2.0.5', 'shop-db-1': '10.2.0.2' } },
      ],
    });
    const front = portOf(dns, 'shop_front');
    // shop-web-1 is on both networks: it sees db, and the front's own "shop" before the back's.
    expect((await ask('127.0.0.24', front, 'db', '127.0.0.31')).ips).toEqual(['10.2.0.2']);
    expect((await ask('127.0.0.24', front, 'shop', '127.0.0.31')).ips).toEqual(['10.1.0.9']);
    // shop-lone-1 is on the front only: the back's names stay unknown to it.
    expect((await ask('127.0.0.24', front, 'db', '127.0.0.32')).rcode).toBe(DNS_RCODE.SERVFAIL);
    expect((await ask('127.0.0.24', front, 'web', '127.0.0.32')).ips).toEqual(['10.1.0.2']);
  });

  it('swaps records in place on reconcile and stops resolvers of networks that are gone', async () => {
    const { part: dns } = part();
    const network = { name: 'p_default', listen: '127.0.0.23', internal: false, records: { web: ['10.3.0.2'] } };
    await dns.reconcile({ upstream: 'none', networks: [network] });
    const port = portOf(dns, 'p_default');
    await dns.reconcile({ upstream: 'none', networks: [{ ...network, records: { web: ['10.3.0.2', '10.3.0.4'] } }] });
    expect(portOf(dns, 'p_default')).toBe(port);
    expect((await ask('127.0.0.23', port, 'web')).ips.sort()).toEqual(['10.3.0.2', '10.3.0.4']);
    await dns.reconcile(undefined);
    expect(dns.status()).toEqual([]);
    // The address is free again: a plain responder can bind the very port.
    const again = new DnsResponder({ address: '127.0.0.23', port });
    await again.start();
    upstreams.push(again);
  });

  it('logs a network whose address is missing and serves it at a later reconcile', async () => {
    const { part: dns, lines } = part();
    const missing = { name: 'p_late', listen: '192.0.2.77', internal: false, records: { web: ['10.4.0.2'] } };
    await dns.reconcile({ upstream: 'none', networks: [missing] });
    expect(dns.status()).toEqual([]);
    expect(lines.join('\n')).toMatch(/p_late: .*192\.0\.2\.77.*try again/);
    await dns.reconcile({ upstream: 'none', networks: [{ ...missing, listen: '127.0.0.24' }] });
    expect((await ask('127.0.0.24', portOf(dns, 'p_late'), 'web')).ips).toEqual(['10.4.0.2']);
  });

  it('forwards unknown names to the host resolvers except on internal networks', async () => {
    const upstream = new DnsResponder({ address: '127.0.0.25', port: 0, table: new DnsRecordTable({ 'outside.example': ['198.51.100.1'] }) });
    await upstream.start();
    upstreams.push(upstream);
    const dns = new DnsPart({ log: () => undefined, readResolvConf: async () => 'nameserver 127.0.0.26\nnameserver 127.0.0.25\n', port: 0, upstreamPort: upstream.port });
    parts.push(dns);
    await dns.reconcile({
      upstream: 'host',
      networks: [
        { name: 'open', listen: '127.0.0.26', internal: false, records: { web: ['10.5.0.2'] } },
        { name: 'closed', listen: '127.0.0.27', internal: true, records: { web: ['10.6.0.2'] } },
      ],
    });
    expect(await ask('127.0.0.26', portOf(dns, 'open'), 'outside.example')).toEqual({ rcode: DNS_RCODE.NOERROR, ips: ['198.51.100.1'] });
    expect((await ask('127.0.0.27', portOf(dns, 'closed'), 'outside.example')).rcode).toBe(DNS_RCODE.SERVFAIL);
    await dns.reconcile({ upstream: 'none', networks: [{ name: 'open', listen: '127.0.0.26', internal: false, records: {} }] });
    expect((await ask('127.0.0.26', portOf(dns, 'open'), 'outside.example')).rcode).toBe(DNS_RCODE.SERVFAIL);
  });

  it('refuses a malformed section with a SUPERVISOR error', async () => {
    const { part: dns } = part();
    await expect(dns.reconcile({ upstream: 'sometimes', networks: [] })).rejects.toMatchObject({ code: 'SUPERVISOR' });
    await expect(dns.reconcile({ upstream: 'none', networks: [{ name: 'x', listen: 'nowhere', internal: false, records: {} }] })).rejects.toMatchObject({ code: 'SUPERVISOR' });
  });
});
