import { readFile } from 'node:fs/promises';
import { DnsForwarder, upstreamsFromResolvConf, type DnsUpstream } from '../../net/dns/dns-forwarder.js';
import { DnsRecordTable } from '../../net/dns/dns-records.js';
import { DnsResponder } from '../../net/dns/dns-responder.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import { parseDnsSection, type DnsNetworkSection, type DnsUpstreamSetting } from './dns-section.js';

export interface DnsPartDeps {
  /** The host's resolv.conf text (where `upstream: host` forwards to). */
  readonly readResolvConf: () => Promise<string>;
  readonly log: (line: string) => void;
  /** Default 53; tests use 0 (a port the kernel picks). */
  readonly port?: number;
  readonly forwardTimeoutMs?: number;
  /** The port upstream resolvers listen on; default 53. */
  readonly upstreamPort?: number;
}

/** What one running resolver serves, for status and tests. */
export interface DnsResolverStatus {
  readonly network: string;
  readonly listen: string;
  readonly port: number;
  readonly names: number;
}

/**
 * The `dns` part: one {@link DnsResponder} per network, on its gateway. A resolver whose address is
 * not there yet (the bridge is made by `up` after the supervisor may have loaded) is logged and
 * tried again at the next reconcile; records and upstreams of running ones are swapped in place.
 */
export class DnsPart implements SupervisorPart {
  readonly section = 'dns';
  private readonly responders = new Map<string, DnsResponder>();

  constructor(private readonly deps: DnsPartDeps) {}

  async reconcile(value: unknown): Promise<void> {
    const section = parseDnsSection(value);
    const wanted = new Map(section.networks.map((n) => [`${n.name}@${n.listen}`, n]));
    for (const [key, responder] of this.responders) {
      if (wanted.has(key)) continue;
      this.responders.delete(key);
      await responder.close();
    }
    const upstreams = await this.upstreams(section.upstream, section.networks.map((n) => n.listen));
    for (const [key, network] of wanted) {
      const table = new DnsRecordTable(network.records);
      const forwarder = network.internal || upstreams.length === 0 ? undefined : new DnsForwarder(upstreams, this.deps.forwardTimeoutMs);
      const bySource = tablesBySource(network, section.networks);
      const running = this.responders.get(key);
      if (running !== undefined) {
        running.table = table;
        running.tablesBySource = bySource;
        running.forwarder = forwarder;
        continue;
      }
      await this.startResponder(key, network, table, forwarder, bySource);
    }
  }

  private async startResponder(key: string, network: DnsNetworkSection, table: DnsRecordTable, forwarder: DnsForwarder | undefined, bySource: ReadonlyMap<string, DnsRecordTable>): Promise<void> {
    const responder = new DnsResponder({ address: network.listen, port: this.deps.port ?? 53, table, forwarder, log: this.deps.log });
    responder.tablesBySource = bySource;
    try {
      await responder.start();
      this.responders.set(key, responder);
      this.deps.log(`dns: serving ${table.size} names of network ${network.name} on ${network.listen}:${responder.port}`);
    } catch (err) {
      this.deps.log(`dns: network ${network.name}: ${errorText(err)}; will try again at the next reload`);
    }
  }

  private async upstreams(setting: DnsUpstreamSetting, ownAddresses: readonly string[]): Promise<DnsUpstream[]> {
    if (setting === 'none') return [];
    const port = this.deps.upstreamPort ?? 53;
    if (setting !== 'host') return setting.filter((a) => !ownAddresses.includes(a)).map((address) => ({ address, port }));
    const text = await this.deps.readResolvConf().catch((err: unknown) => {
      this.deps.log(`dns: cannot read the host's resolv.conf: ${errorText(err)}`);
      return '';
    });
    return upstreamsFromResolvConf(text, ownAddresses).map((u) => ({ ...u, port }));
  }

  status(): DnsResolverStatus[] {
    return [...this.responders.entries()].map(([key, r]) => ({ network: key.slice(0, key.lastIndexOf('@')), listen: r.address, port: r.port, names: r.table.size }));
  }

  async close(): Promise<void> {
    const all = [...this.responders.values()];
    this.responders.clear();
    await Promise.all(all.map((r) => r.close()));
  }
}

/**
 * What a container on several networks sees when it asks `network`'s resolver (its resolv.conf names
 * one): the names of every network it is on, those of the network asked first, as Docker's embedded
 * DNS answers. By the container's address on `network`; containers on one network only are absent.
 */
export function tablesBySource(network: DnsNetworkSection, all: readonly DnsNetworkSection[]): Map<string, DnsRecordTable> {
  const tables = new Map<string, DnsRecordTable>();
  for (const [container, address] of Object.entries(network.containers ?? {})) {
    const others = all.filter((n) => n !== network && n.containers?.[container] !== undefined);
    if (others.length === 0) continue;
    const names: Record<string, readonly string[]> = {};
    for (const other of others.reverse()) Object.assign(names, other.records);
    tables.set(address, new DnsRecordTable({ ...names, ...network.records }));
  }
  return tables;
}

/** The part as the supervisor runs it: port 53, forwarding to the resolvers of the host's /etc/resolv.conf. */
export function hostDnsPart(deps: { readonly log: (line: string) => void }): DnsPart {
  return new DnsPart({ log: deps.log, readResolvConf: () => readFile('/etc/resolv.conf', 'utf8') });
}
