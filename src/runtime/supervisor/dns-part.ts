import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StatePaths } from '../../state/paths.js';
import { DnsForwarder, upstreamsFromResolvConf, type DnsUpstream } from '../../net/dns/dns-forwarder.js';
import { DnsRecordTable } from '../../net/dns/dns-records.js';
import { DnsResponder } from '../../net/dns/dns-responder.js';
import { fsDirWatch, type DirWatch } from '../../util/dir-watch.js';
import { DnsShareDir, ownContribution } from './dns-share.js';
import { runningSupervisor } from './client.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import { parseDnsSection, type DnsNetworkSection, type DnsUpstreamSetting } from './dns-section.js';
import { realTimers, type Timers } from './timers.js';

export interface DnsPartDeps {
  /** The host's resolv.conf text (where `upstream: host` forwards to). */
  readonly readResolvConf: () => Promise<string>;
  readonly log: (line: string) => void;
  /** Default 53; tests use 0 (a port the kernel picks). */
  readonly port?: number;
  readonly forwardTimeoutMs?: number;
  /** The port upstream resolvers listen on; default 53. */
  readonly upstreamPort?: number;
  /**
   * Where the projects of the machine meet (`<runtime-root>/dns`, with this project's name): each
   * network's resolver answers what every project on it contributes. Without it the part serves its
   * own section alone.
   */
  readonly share?: DnsShareDir;
  /** Default {@link fsDirWatch}. */
  readonly watchDir?: DirWatch;
  /** Default {@link realTimers}. */
  readonly timers?: Timers;
  /** How often a network nobody here serves is tried again besides its directory's changes; default 5 s. */
  readonly retryMs?: number;
}

/** What one running resolver serves, for status and tests. */
export interface DnsResolverStatus {
  readonly network: string;
  readonly listen: string;
  readonly port: number;
  readonly names: number;
}

/** A network of the section: served here (a responder) or waiting for its address or for its port. */
interface Served {
  network: DnsNetworkSection;
  forwarder: DnsForwarder | undefined;
  responder?: DnsResponder;
  /** Why it is not served, as last logged (logged again only when it changes). */
  waiting?: string;
}

/**
 * The `dns` part: one {@link DnsResponder} per network, on its gateway. With a {@link DnsShareDir}, the
 * part writes its project's endpoints of each network there and answers from the merge of every
 * project's files, read again when the network's directory changes and at each reconcile. A network
 * it cannot serve (its port held by another project's supervisor, or its address not there yet: `up`
 * makes the bridge after the supervisor may have loaded) waits: it is tried again when the directory
 * changes (the serving supervisor removes its file after letting go of the port), every few seconds
 * and at each reconcile.
 */
export class DnsPart implements SupervisorPart {
  readonly section = 'dns';
  private readonly served = new Map<string, Served>();
  /** Stop functions of the watched directories: the `dns` directory and every network's, by path. */
  private readonly watches = new Map<string, () => void>();
  private sectionNetworks: readonly DnsNetworkSection[] = [];
  private retry: unknown;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly deps: DnsPartDeps) {}

  async reconcile(value: unknown): Promise<void> {
    const section = parseDnsSection(value);
    const share = this.deps.share;
    const wanted = new Map(section.networks.map((n) => [`${n.name}@${n.listen}`, n]));
    for (const [key, served] of this.served) {
      if (wanted.has(key)) continue;
      this.served.delete(key);
      await this.letGo(served, false);
    }
    this.sectionNetworks = section.networks;
    const upstreams = await this.upstreams(section.upstream, section.networks.map((n) => n.listen));
    for (const [key, network] of wanted) {
      const forwarder = network.internal || upstreams.length === 0 ? undefined : new DnsForwarder(upstreams, this.deps.forwardTimeoutMs);
      const served: Served = this.served.get(key) ?? { network, forwarder };
      served.network = network;
      served.forwarder = forwarder;
      if (served.responder !== undefined) served.responder.forwarder = forwarder;
      this.served.set(key, served);
      if (share === undefined) continue;
      await share.write(network.name, ownContribution(network, share.project));
    }
    if (share !== undefined) {
      const names = new Set(section.networks.map((n) => n.name));
      for (const network of await share.networks()) if (!names.has(network)) await share.remove(network);
    }
    await this.refresh();
  }

  /** Brings tables up to date and tries the networks that wait; calls made while one runs are folded into one more. */
  private refresh(): Promise<void> {
    if (this.refreshing !== undefined) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.refreshOnce().catch((err: unknown) => this.deps.log(`dns: ${errorText(err)}`));
      } while (this.again && !this.closed);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    if (this.closed) return;
    const merged = await this.mergedNetworks();
    for (const served of this.served.values()) {
      const network = merged.find((n) => n.name === served.network.name && n.listen === served.network.listen) ?? served.network;
      const table = new DnsRecordTable(network.records);
      const bySource = tablesBySource(network, merged);
      if (served.responder === undefined) await this.startResponder(served, table, bySource);
      if (served.responder === undefined) continue;
      served.responder.table = table;
      served.responder.tablesBySource = bySource;
    }
    this.armRetry();
  }

  /**
   * The section's networks with the records and containers of every project on them, and the other
   * networks those projects are on (a container on several networks sees all their names).
   */
  private async mergedNetworks(): Promise<DnsNetworkSection[]> {
    const share = this.deps.share;
    if (share === undefined) return [...this.sectionNetworks];
    for (const served of this.served.values()) {
      if (!(await share.has(served.network.name))) await share.write(served.network.name, ownContribution(served.network, share.project));
    }
    await this.watchDirs(share);
    const all = await share.readAll();
    const mine = this.sectionNetworks.map((n) => ({ ...n, ...(all.get(n.name) ?? ownContribution(n, share.project)) }));
    const others = [...all].filter(([name]) => !mine.some((n) => n.name === name)).map(([name, m]) => ({ name, listen: '', internal: false, ...m }));
    return [...mine, ...others];
  }

  /**
   * Watches the `dns` directory (networks that appear) and every network's directory (any of them may
   * hold the other names of a container on a served network), before they are read: a change made
   * after the read is heard.
   */
  private async watchDirs(share: DnsShareDir): Promise<void> {
    const dirs = new Set(this.served.size === 0 ? [] : [share.root, ...(await share.networkDirs())]);
    for (const [dir, stop] of this.watches) {
      if (dirs.has(dir)) continue;
      stop();
      this.watches.delete(dir);
    }
    for (const dir of dirs) if (!this.watches.has(dir)) this.watches.set(dir, (this.deps.watchDir ?? fsDirWatch)(dir, () => void this.refresh()));
  }

  private async startResponder(served: Served, table: DnsRecordTable, bySource: ReadonlyMap<string, DnsRecordTable>): Promise<void> {
    const { network, forwarder } = served;
    const responder = new DnsResponder({ address: network.listen, port: this.deps.port ?? 53, table, forwarder, log: this.deps.log });
    responder.tablesBySource = bySource;
    try {
      await responder.start();
      served.responder = responder;
      served.waiting = undefined;
      this.deps.log(`dns: serving ${table.size} names of network ${network.name} on ${network.listen}:${responder.port}`);
    } catch (err) {
      const inUse = (err as { cause?: NodeJS.ErrnoException }).cause?.code === 'EADDRINUSE';
      const why = inUse ? 'port in use (another project\'s supervisor serves it)' : errorText(err);
      if (served.waiting !== why) this.deps.log(`dns: network ${network.name}: ${why}; will try again`);
      served.waiting = why;
    }
  }

  /** A slow timer while some network waits: a safety net besides the directory's changes. */
  private armRetry(): void {
    const waiting = [...this.served.values()].some((s) => s.responder === undefined);
    if (!waiting || this.closed || this.retry !== undefined) return;
    const timers = this.deps.timers ?? realTimers;
    this.retry = timers.set(() => {
      this.retry = undefined;
      void this.refresh();
    }, this.deps.retryMs ?? 5_000);
    (this.retry as { unref?: () => void }).unref?.();
  }

  /**
   * Closes the network's responder and then, when asked, removes this project's file of it: the port
   * is free before the waiting supervisors hear of the change. (A reconcile removes the files of the
   * networks its section lost afterwards, all at once.)
   */
  private async letGo(served: Served, removeFile: boolean): Promise<void> {
    await served.responder?.close();
    if (removeFile) await this.deps.share?.remove(served.network.name);
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

  /** Resolves once the refresh under way, if any, is done (the retry timer and directory changes start them). */
  async idle(): Promise<void> {
    await this.refreshing;
  }

  status(): DnsResolverStatus[] {
    return [...this.served.values()].flatMap(({ network, responder: r }) => (r === undefined ? [] : [{ network: network.name, listen: r.address, port: r.port, names: r.table.size }]));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry !== undefined) (this.deps.timers ?? realTimers).clear(this.retry);
    this.retry = undefined;
    await this.refreshing;
    const all = [...this.served.values()];
    this.served.clear();
    this.sectionNetworks = [];
    for (const stop of this.watches.values()) stop();
    this.watches.clear();
    await Promise.all(all.map((s) => this.letGo(s, true)));
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

/**
 * The part as the supervisor runs it: port 53, forwarding to the resolvers of the host's
 * /etc/resolv.conf, sharing each network's resolver through `<runtime-root>/dns` with the other
 * projects on it (files of projects whose supervisor does not run are left out).
 */
export function hostDnsPart(deps: { readonly log: (line: string) => void; readonly paths?: StatePaths; readonly project?: string }): DnsPart {
  const { paths, project } = deps;
  const share = paths === undefined || project === undefined ? undefined
    : new DnsShareDir(join(paths.roots.runtimeRoot, 'dns'), project, async (other) => (await runningSupervisor(paths, other)) !== undefined);
  return new DnsPart({ log: deps.log, readResolvConf: () => readFile('/etc/resolv.conf', 'utf8'), ...(share === undefined ? {} : { share }) });
}
