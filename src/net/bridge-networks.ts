import { access, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import type { NetKernel } from '../kernel/net.js';
import { FileLock } from '../state/lock.js';
import type { Clock } from '../util/clock.js';
import { allocateEndpoint, type EndpointWish } from './endpoint-allocation.js';
import { DEFAULT_POOL, subnetFromPool, type AddressPool } from './ipam.js';
import { formatCidr, formatIp, overlaps, parseCidr, type Cidr } from './ipv4.js';
import { bridgeName, linkAlias, networkId, ownedBy } from './network-names.js';
import { NETWORK_RECORD_VERSION, type EndpointRecord, type NetworkRecord } from './network-record.js';
import { bridgeSettings, type NetworkRequest } from './network-request.js';
import { NetworkStore } from './network-store.js';
import type { NatManager, NatNetwork } from './nat-manager.js';

export type { EndpointWish } from './endpoint-allocation.js';

/** Serialises choosing a subnet and creating its bridge among every tscompose process of the machine. */
export const MACHINE_NETWORK_LOCK = '/run/lock/tscompose-net.lock';

export interface BridgeNetworksDeps {
  readonly kernel: NetKernel;
  /** The data root, hashed into bridge and veth names so that separate roots never collide. */
  readonly dataRoot: string;
  /** Where the records live: `<data-root>/networks`. */
  readonly recordsDir: string;
  /** Where container namespaces are bind-mounted: `<runtime-root>/netns`. */
  readonly netnsDir: string;
  /** Lock files of this root: `<runtime-root>/locks`. */
  readonly lockDir: string;
  readonly clock: Clock;
  readonly machineLock?: string;
  readonly pool?: AddressPool;
  readonly lockTimeoutMs?: number;
  /** Outbound NAT and isolation rules for each network; absent: none are made (TSCOMPOSE_NAT=off, or no iptables). */
  readonly nat?: NatManager;
}

export interface AttachRequest {
  /** The container's name; its namespace file is `<netns-dir>/<name>`. */
  readonly container: string;
  /** In interface order: the first becomes eth0. */
  readonly endpoints: readonly EndpointWish[];
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AttachedEndpoint extends EndpointRecord {
  readonly network: string;
  readonly gateway: string;
  readonly subnet: string;
  readonly internal: boolean;
}

export interface Attachment {
  readonly netns: string;
  readonly endpoints: readonly AttachedEndpoint[];
}

/**
 * Bridge networks of one data root: a Linux bridge and a subnet per network, a network namespace per
 * container with one veth pair per network it joins, all recorded under the data root so addresses
 * persist and leftovers of a crash can be found (every link made carries an alias naming the root).
 */
export class BridgeNetworks {
  readonly store: NetworkStore;

  constructor(private readonly deps: BridgeNetworksDeps) {
    this.store = new NetworkStore(deps.recordsDir);
  }

  netnsPath(container: string): string {
    return join(this.deps.netnsDir, container);
  }

  /** Whether the container has a namespace file (to be joined by `network_mode: service:x`). */
  async hasNetns(container: string): Promise<boolean> {
    return access(this.netnsPath(container)).then(() => true, () => false);
  }

  list(): Promise<NetworkRecord[]> {
    return this.store.list();
  }

  /** The network of that name (creating its bridge again if the host lost it, e.g. after a reboot), or a new one. */
  async ensure(request: NetworkRequest): Promise<{ record: NetworkRecord; created: boolean }> {
    const settings = bridgeSettings(request);
    return this.withLock(this.deps.machineLock ?? MACHINE_NETWORK_LOCK, async () => {
      const existing = (await this.store.list()).find((r) => r.name === request.name);
      if (existing !== undefined) {
        if (!(await this.deps.kernel.links()).some((l) => l.name === existing.bridge)) await this.createBridge(existing);
        await this.deps.nat?.add(natNetwork(existing));
        return { record: existing, created: false };
      }
      const bridge = settings.bridgeName ?? bridgeName(this.deps.dataRoot, request.name);
      const clash = (await this.deps.kernel.links()).find((l) => l.name === bridge);
      if (clash !== undefined && !ownedBy(clash.alias, this.deps.dataRoot)) {
        throw new TscError('NETWORK_CONFLICT', `network ${request.name}: the host already has an interface named ${bridge}`, {
          hint: 'choose another com.docker.network.bridge.name, or remove that interface',
        });
      }
      if (clash !== undefined) await this.deps.kernel.deleteLinks([bridge]);
      const used = await this.usedSubnets();
      const subnet = settings.subnet ?? subnetFromPool(request.name, used.map((u) => u.cidr), this.deps.pool ?? DEFAULT_POOL);
      const overlap = used.find((u) => overlaps(u.cidr, subnet));
      if (settings.subnet !== undefined && overlap !== undefined) {
        throw new TscError('NETWORK_CONFLICT', `network ${request.name}: subnet ${formatCidr(subnet)} overlaps ${formatCidr(overlap.cidr)} (${overlap.what})`, {
          hint: 'choose a subnet no route or network of the host uses, or leave ipam out to get a free one',
        });
      }
      const createdAt = new Date(this.deps.clock.now()).toISOString();
      const record: NetworkRecord = {
        version: NETWORK_RECORD_VERSION, id: networkId(this.deps.dataRoot, request.name, createdAt), name: request.name, driver: 'bridge', bridge,
        subnet: formatCidr(subnet), gateway: formatIp(settings.gateway ?? subnet.base + 1),
        ...(settings.ipRange === undefined ? {} : { ipRange: formatCidr(settings.ipRange) }),
        internal: request.internal === true, attachable: request.attachable === true,
        ...(settings.mtu === undefined ? {} : { mtu: settings.mtu }),
        labels: request.labels ?? {}, options: request.driverOpts ?? {}, createdAt, endpoints: {},
      };
      await this.createBridge(record);
      try {
        await this.withRootLock(() => this.store.write(record));
      } catch (err) {
        await this.deps.kernel.deleteLinks([bridge]);
        throw err;
      }
      if (this.deps.nat !== undefined) await this.addNat(this.deps.nat, record);
      return { record, created: true };
    });
  }

  /** Removes a network's bridge and record; NETWORK_IN_USE while a container is attached. */
  async remove(ref: string): Promise<NetworkRecord> {
    return this.withLock(this.deps.machineLock ?? MACHINE_NETWORK_LOCK, () => this.withRootLock(async () => {
      const record = await this.store.get(ref);
      const users = Object.keys(record.endpoints);
      if (users.length > 0) {
        throw new TscError('NETWORK_IN_USE', `network ${record.name} is in use by container${users.length > 1 ? 's' : ''} ${users.join(', ')}`, {
          hint: 'stop and remove those containers first (`tscompose down` in their project)',
        });
      }
      await this.deps.kernel.deleteLinks([record.bridge]);
      await this.deps.nat?.remove(record.bridge);
      await this.store.delete(record.id);
      return record;
    }));
  }

  /**
   * Gives a container its namespace and one endpoint per network, in order: addresses are allocated and
   * recorded first, then the namespace, veths, addresses and default route (via the first network that is
   * not internal) are made. On failure everything made for it is undone.
   */
  async attach(request: AttachRequest): Promise<Attachment> {
    const netns = this.netnsPath(request.container);
    await this.detach(request.container);
    const { endpoints, changed } = await this.withRootLock(async () => {
      const records = await this.store.list();
      const changed = new Map<string, NetworkRecord>();
      const out: AttachedEndpoint[] = [];
      for (const [index, wish] of request.endpoints.entries()) {
        const record = changed.get(wish.network) ?? records.find((r) => r.name === wish.network);
        if (record === undefined) {
          throw new TscError('NETWORK_NOT_FOUND', `container ${request.container}: network ${wish.network} not found`, {
            hint: 'create the project\'s networks first (`tscompose up` does), or declare an external network that exists',
          });
        }
        const endpoint = allocateEndpoint(record, wish, {
          container: request.container, index, netns, labels: request.labels ?? {}, dataRoot: this.deps.dataRoot,
        });
        changed.set(record.name, { ...record, endpoints: { ...record.endpoints, [request.container]: endpoint } });
        out.push({ ...endpoint, network: record.name, gateway: record.gateway, subnet: record.subnet, internal: record.internal });
      }
      for (const record of changed.values()) await this.store.write(record);
      return { endpoints: out, changed };
    });
    try {
      await this.deps.kernel.createNetns(netns);
      const requests = endpoints.map((endpoint) => {
        // Each endpoint's network is among those the locked section just wrote.
        const record = changed.get(endpoint.network) as NetworkRecord;
        return {
          hostName: endpoint.hostIfname, bridge: record.bridge, ifname: endpoint.ifname, mac: endpoint.mac,
          address: `${endpoint.ip}/${(parseCidr(record.subnet) as Cidr).prefix}`, alias: linkAlias(this.deps.dataRoot, { network: record.name, container: request.container }),
          ...(record.mtu === undefined ? {} : { mtu: record.mtu }),
        };
      });
      const gateway = endpoints.find((e) => !e.internal)?.gateway;
      await this.deps.kernel.addEndpoints(netns, requests, gateway === undefined ? {} : { defaultGateway: gateway });
    } catch (err) {
      await this.detach(request.container).catch(() => undefined);
      throw err instanceof TscError ? err.wrap(`connect container ${request.container}`) : err;
    }
    return { netns, endpoints };
  }

  /** Releases a container's addresses and deletes its veths and namespace file; nothing to do is fine. */
  async detach(container: string): Promise<void> {
    const released = await this.withRootLock(async () => {
      const out: EndpointRecord[] = [];
      for (const record of await this.store.list()) {
        const endpoint = record.endpoints[container];
        if (endpoint === undefined) continue;
        const endpoints = Object.fromEntries(Object.entries(record.endpoints).filter(([name]) => name !== container));
        await this.store.write({ ...record, endpoints });
        out.push(endpoint);
      }
      return out;
    });
    await this.deps.kernel.deleteLinks(released.map((e) => e.hostIfname));
    await this.deps.kernel.deleteNetns(this.netnsPath(container));
  }

  /**
   * Removes what a crash left behind: the endpoints and namespace of every container `isLeftover` names
   * (it gets the endpoint's labels, or none for a namespace file no record knows), and links carrying
   * this root's alias that no record names. Returns what it removed. Links are judged under the machine
   * lock, so a bridge being created (made before its record) is never taken for a leftover.
   */
  async sweep(isLeftover: (container: string, labels?: Readonly<Record<string, string>>) => boolean): Promise<string[]> {
    const removed: string[] = [];
    const records = await this.store.list();
    const gone = new Set<string>();
    for (const endpoint of records.flatMap((r) => Object.values(r.endpoints))) if (isLeftover(endpoint.container, endpoint.labels)) gone.add(endpoint.container);
    const recorded = new Set(records.flatMap((r) => Object.keys(r.endpoints)));
    for (const file of await readdir(this.deps.netnsDir).catch(() => [] as string[])) if (!recorded.has(file) && isLeftover(file)) gone.add(file);
    for (const container of gone) {
      await this.detach(container);
      removed.push(`endpoints of ${container}`);
    }
    const stray = await this.withLock(this.deps.machineLock ?? MACHINE_NETWORK_LOCK, async () => {
      const known = new Set((await this.store.list()).flatMap((r) => [r.bridge, ...Object.values(r.endpoints).map((e) => e.hostIfname)]));
      const links = (await this.deps.kernel.links()).filter((l) => ownedBy(l.alias, this.deps.dataRoot) && !known.has(l.name)).map((l) => l.name);
      await this.deps.kernel.deleteLinks(links);
      const rules = (await this.deps.nat?.sweep()) ?? [];
      return [...links.map((name) => `link ${name}`), ...rules.map((name) => `firewall rules of ${name}`)];
    });
    removed.push(...stray);
    return removed;
  }

  /** The rules of a new network; when they cannot be made, the network is undone as a whole. */
  private async addNat(nat: NatManager, record: NetworkRecord): Promise<void> {
    try {
      await nat.add(natNetwork(record), { created: true });
    } catch (err) {
      await nat.remove(record.bridge).catch(() => undefined);
      await this.deps.kernel.deleteLinks([record.bridge]);
      await this.withRootLock(() => this.store.delete(record.id));
      throw err instanceof TscError ? err.wrap(`network ${record.name}`) : err;
    }
  }

  private async createBridge(record: NetworkRecord): Promise<void> {
    const prefix = (parseCidr(record.subnet) as Cidr).prefix;
    await this.deps.kernel.createBridge({
      name: record.bridge, address: `${record.gateway}/${prefix}`, alias: linkAlias(this.deps.dataRoot, { network: record.name }),
      ...(record.mtu === undefined ? {} : { mtu: record.mtu }),
    });
  }

  /** Every IPv4 block the host routes or addresses, and the subnets of this root's networks. */
  private async usedSubnets(): Promise<{ cidr: Cidr; what: string }[]> {
    const out: { cidr: Cidr; what: string }[] = [];
    for (const route of await this.deps.kernel.routes()) {
      const cidr = route.dst === 'default' ? undefined : parseCidr(route.dst, true);
      if (cidr !== undefined) out.push({ cidr, what: `a route of the host${route.dev === undefined ? '' : ` via ${route.dev}`}` });
    }
    for (const address of await this.deps.kernel.addresses()) {
      const cidr = parseCidr(address.cidr, true);
      if (cidr !== undefined) out.push({ cidr, what: `the address of ${address.ifname}` });
    }
    for (const record of await this.store.list()) {
      const cidr = parseCidr(record.subnet);
      if (cidr !== undefined) out.push({ cidr, what: `network ${record.name}` });
    }
    return out;
  }

  private withRootLock<T>(fn: () => Promise<T>): Promise<T> {
    return this.withLock(join(this.deps.lockDir, 'networks.lock'), fn);
  }

  private async withLock<T>(path: string, fn: () => Promise<T>): Promise<T> {
    const lock = FileLock.forCurrentProcess(path);
    await lock.acquire({ timeoutMs: this.deps.lockTimeoutMs ?? 60_000, pollMs: 10 });
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  }
}

const natNetwork = (record: NetworkRecord): NatNetwork => ({ name: record.name, bridge: record.bridge, subnet: record.subnet, internal: record.internal });
