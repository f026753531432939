import { isIP } from 'node:net';
import { badSection } from './container-section.js';

/**
 * Where names no network knows are asked: the host's resolvers (read from its resolv.conf each
 * reload), nobody (`TSCOMPOSE_DNS_UPSTREAM=none`: they get SERVFAIL), or the addresses given.
 */
export type DnsUpstreamSetting = 'host' | 'none' | readonly string[];

/** The `dns` section of supervisor.json: one resolver per network, on its gateway. */
export interface DnsSection {
  readonly upstream: DnsUpstreamSetting;
  readonly networks: readonly DnsNetworkSection[];
}

export interface DnsNetworkSection {
  /** The network's full name, e.g. `shop_default`. */
  readonly name: string;
  /** The gateway address, where the resolver listens (port 53). */
  readonly listen: string;
  /** Internal networks answer their own names only (nothing is forwarded), as Docker does. */
  readonly internal: boolean;
  /** Name → IPv4 addresses; names compare case-insensitively. */
  readonly records: Readonly<Record<string, readonly string[]>>;
  /**
   * Container name → its address on this network. A container on several networks asks the
   * resolver of one of them; this tells the resolvers which other networks' names it may see.
   */
  readonly containers?: Readonly<Record<string, string>>;
  /**
   * Container name → its project, for the containers of `containers` that belong to one. Several
   * projects may share a network: each supervisor gives the network's resolver only its own
   * endpoints (and those no project claims), so the resolver can answer the union of all of them.
   */
  readonly projects?: Readonly<Record<string, string>>;
}

/** The section as written, checked; absent means no resolvers. */
export function parseDnsSection(value: unknown): DnsSection {
  if (value === undefined) return { upstream: 'none', networks: [] };
  const v = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) throw badSection('dns', 'not an object');
  const upstream = v.upstream;
  if (upstream !== 'host' && upstream !== 'none' && !(Array.isArray(upstream) && upstream.every((a) => typeof a === 'string' && isIP(a) !== 0))) {
    throw badSection('dns', '`upstream` must be "host", "none" or a list of addresses');
  }
  if (!Array.isArray(v.networks)) throw badSection('dns', '`networks` must be a list');
  v.networks.forEach((n: unknown, i) => {
    const network = n as Record<string, unknown>;
    const records = network.records as Record<string, unknown>;
    const ok = typeof n === 'object' && n !== null && typeof network.name === 'string' && typeof network.listen === 'string' &&
      isIP(network.listen) === 4 && typeof network.internal === 'boolean' && typeof records === 'object' && records !== null &&
      Object.values(records).every((ips) => Array.isArray(ips) && ips.every((ip) => typeof ip === 'string' && isIP(ip) === 4)) &&
      (network.containers === undefined || (typeof network.containers === 'object' && network.containers !== null &&
        Object.values(network.containers as Record<string, unknown>).every((ip) => typeof ip === 'string' && isIP(ip) === 4))) &&
      (network.projects === undefined || (typeof network.projects === 'object' && network.projects !== null &&
        Object.values(network.projects as Record<string, unknown>).every((p) => typeof p === 'string')));
    if (!ok) throw badSection('dns', `network ${i} is not {name, listen, internal, records, containers?, projects?}`);
  });
  return value as DnsSection;
}
