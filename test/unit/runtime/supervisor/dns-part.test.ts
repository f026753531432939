import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../../../src/net/dns/dns-decode.js';
import { encodeMessage } from '../../../../src/net/dns/dns-encode.js';
import { DNS_CLASS_IN, DNS_RCODE, DNS_TYPE, ipv4Of } from '../../../../src/net/dns/dns-message.js';
import { DnsRecordTable } from '../../../../src/net/dns/dns-records.js';
import { DnsResponder } from '../../../../src/net/dns/dns-responder.js';
import { DnsPart } from '../../../../src/runtime/supervisor/dns-part.js';
import type { DnsNetworkSection, DnsSection } from '../../../../src/runtime/supervisor/dns-section.js';
import { DnsShareDir } from '../../../../src/runtime/supervisor/dns-share.js';
import { FakeTime } from './fake-timers.js';

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

describe('DnsPart sharing a network between projects', () => {
  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

  /** A runtime root's `dns` directory, and which projects count as running (their supervisor). */
  function machine(): { root: string; live: Set<string>; part: (project: string, port: number, extra?: { watchDir?: () => () => void; timers?: FakeTime }) => { part: DnsPart; lines: string[] } } {
    const runtimeRoot = mkdtempSync(join(tmpdir(), 'tsc-dns-share-'));
    roots.push(runtimeRoot);
    const root = join(runtimeRoot, 'dns');
    const live = new Set<string>();
    return {
      root, live,
      part: (project, port, extra = {}) => {
        live.add(project);
        const lines: string[] = [];
        const share = new DnsShareDir(root, project, async (p) => live.has(p));
        const p = new DnsPart({ log: (l) => lines.push(l), readResolvConf: async () => '', port, share, ...extra });
        parts.push(p);
        return { part: p, lines };
      },
    };
  }

  /** Polls `check` (bounded) until it holds: the other part hears of a file change through inotify. */
  async function eventually(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
    for (let i = 0; i < 3000; i++) {
      if (await check()) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`never happened: ${what}`);
  }

  // Project a's last sync still saw b's old container; b's last sync saw an a replica removed since.
  const sharedOf = (records: DnsNetworkSection['records'], containers: Record<string, string>, projects: Record<string, string>): DnsNetworkSection =>
    ({ name: 'shared', listen: '127.0.0.41', internal: false, records, containers, projects });
  const sectionA: DnsSection = {
    upstream: 'none',
    networks: [sharedOf({ web: ['10.9.0.2'], 'a-web-1': ['10.9.0.2'], old: ['10.9.0.9'], 'b-old-1': ['10.9.0.9'] },
      { 'a-web-1': '10.9.0.2', 'b-old-1': '10.9.0.9' }, { 'a-web-1': 'a', 'b-old-1': 'b' })],
  };
  const sectionB: DnsSection = {
    upstream: 'none',
    networks: [sharedOf({ web: ['10.9.0.2', '10.9.0.7'], 'a-web-2': ['10.9.0.7'], api: ['10.9.0.3'], 'b-api-1': ['10.9.0.3'] },
      { 'a-web-1': '10.9.0.2', 'a-web-2': '10.9.0.7', 'b-api-1': '10.9.0.3' }, { 'a-web-1': 'a', 'a-web-2': 'a', 'b-api-1': 'b' })],
  };

  it('serves the union of what each project contributes, and the waiting project takes over when the first closes', async () => {
    const world = machine();
    const { part: a } = world.part('a', 0);
    await a.reconcile(sectionA);
    const port = portOf(a, 'shared');
    // b asks for the very port a holds: it waits, and still writes what it contributes.
    const { part: b, lines } = world.part('b', port);
    await b.reconcile(sectionB);
    expect(b.status()).toEqual([]);
    expect(lines.join('\n')).toMatch(/shared: port in use .*try again/);
    expect(readdirSync(join(world.root, 'shared')).sort()).toEqual(['a.json', 'b.json']);
    await eventually(async () => (await ask('127.0.0.41', port, 'api')).ips.length > 0, 'a answers b\'s names');
    expect((await ask('127.0.0.41', port, 'api')).ips).toEqual(['10.9.0.3']);
    expect((await ask('127.0.0.41', port, 'b-api-1')).ips).toEqual(['10.9.0.3']);
    // Each project gives its own endpoints only: what another one saw at its last sync does not linger.
    expect((await ask('127.0.0.41', port, 'web')).ips).toEqual(['10.9.0.2']);
    expect((await ask('127.0.0.41', port, 'old')).rcode).toBe(DNS_RCODE.SERVFAIL);
    expect((await ask('127.0.0.41', port, 'a-web-2')).rcode).toBe(DNS_RCODE.SERVFAIL);

    await a.close();
    world.live.delete('a');
    await eventually(() => b.status().length === 1, 'b takes the port over');
    expect(b.status()).toEqual([{ network: 'shared', listen: '127.0.0.41', port, names: 2 }]);
    expect((await ask('127.0.0.41', port, 'api')).ips).toEqual(['10.9.0.3']);
    expect((await ask('127.0.0.41', port, 'web')).rcode).toBe(DNS_RCODE.SERVFAIL);
    expect(readdirSync(join(world.root, 'shared'))).toEqual(['b.json']);
    await b.close();
    // The last project leaves no file and no empty directory behind.
    expect(existsSync(world.root)).toBe(false);
  });

  it('tries a waiting network again on its slow timer, even when no directory change is heard', async () => {
    const world = machine();
    const { part: a } = world.part('a', 0);
    await a.reconcile(sectionA);
    const port = portOf(a, 'shared');
    const time = new FakeTime();
    const { part: b } = world.part('b', port, { watchDir: () => () => undefined, timers: time });
    time.idle = () => b.idle();
    await b.reconcile(sectionB);
    expect(b.status()).toEqual([]);
    expect(time.scheduled).toBe(1);
    await time.advance(5_000);
    expect(b.status()).toEqual([]);
    await a.close();
    world.live.delete('a');
    await time.advance(5_000);
    expect(b.status().map((s) => s.port)).toEqual([port]);
    expect((await ask('127.0.0.41', port, 'api')).ips).toEqual(['10.9.0.3']);
    // Served: no timer any more; closing stops everything.
    expect(time.scheduled).toBe(0);
  });

  it('lets a container of another project on several networks see the names of all of them', async () => {
    const world = machine();
    const { part: a } = world.part('a', 0);
    await a.reconcile({ upstream: 'none', networks: [sharedOf({ web: ['10.9.0.2'] }, { 'a-web-1': '10.9.0.2' }, { 'a-web-1': 'a' })] });
    const port = portOf(a, 'shared');
    // b's api container is on shared (at 127.0.0.43, so the test can ask from there) and on b's own network.
    const { part: b } = world.part('b', 0);
    await b.reconcile({
      upstream: 'none',
      networks: [
        sharedOf({ api: ['127.0.0.43'] }, { 'b-api-1': '127.0.0.43' }, { 'b-api-1': 'b' }),
        { name: 'b_default', listen: '127.0.0.42', internal: false, records: { db: ['10.8.0.2'], api: ['10.8.0.3'] }, containers: { 'b-db-1': '10.8.0.2', 'b-api-1': '10.8.0.3' }, projects: { 'b-db-1': 'b', 'b-api-1': 'b' } },
      ],
    });
    await eventually(async () => (await ask('127.0.0.41', port, 'db', '127.0.0.43')).ips.length > 0, 'a hears of b\'s networks');
    expect((await ask('127.0.0.41', port, 'db', '127.0.0.43')).ips).toEqual(['10.8.0.2']);
    // The asked network's own names come first; a's container, on shared only, does not see b_default.
    expect((await ask('127.0.0.41', port, 'api', '127.0.0.43')).ips).toEqual(['127.0.0.43']);
    expect((await ask('127.0.0.41', port, 'db')).rcode).toBe(DNS_RCODE.SERVFAIL);
  });

  it('leaves out and removes the file of a project whose supervisor does not run, and of networks a project left', async () => {
    const world = machine();
    mkdirSync(join(world.root, 'shared'), { recursive: true });
    writeFileSync(join(world.root, 'shared', 'ghost.json'), JSON.stringify({ project: 'ghost', records: { gone: ['10.9.0.66'] }, containers: { 'ghost-x-1': '10.9.0.66' } }));
    mkdirSync(join(world.root, 'a_old'), { recursive: true });
    writeFileSync(join(world.root, 'a_old', 'a.json'), JSON.stringify({ project: 'a', records: { stale: ['10.7.0.2'] }, containers: {} }));
    const { part: a } = world.part('a', 0);
    await a.reconcile(sectionA);
    const port = portOf(a, 'shared');
    expect((await ask('127.0.0.41', port, 'gone')).rcode).toBe(DNS_RCODE.SERVFAIL);
    expect((await ask('127.0.0.41', port, 'web')).ips).toEqual(['10.9.0.2']);
    expect(readdirSync(world.root)).toEqual(['shared']);
    expect(readdirSync(join(world.root, 'shared'))).toEqual(['a.json']);
  });
});
