import { TscError } from '../errors/index.js';
import { contains, formatCidr, formatIp, overlaps, parseCidr, sizeOf, type Cidr } from './ipv4.js';

/**
 * tscompose's own address pool: 172.28.0.0/14 (172.28.0.0 to 172.31.255.255) cut into /24s, so
 * 1024 networks of 253 containers each. Docker's default pools are 172.17-31.0.0/16 and
 * 192.168.0.0/16 in /20s; this pool sits in the upper part of the first one and every subnet chosen
 * from it skips whatever the host already routes or addresses, Docker's bridges included.
 */
export const DEFAULT_POOL = { base: parseCidr('172.28.0.0/14') as Cidr, size: 24 } as const;

export interface AddressPool {
  readonly base: Cidr;
  /** Prefix length of each subnet cut from it. */
  readonly size: number;
}

/** The first subnet of the pool that overlaps nothing in `used`, or undefined when none is left. */
export function chooseSubnet(pool: AddressPool, used: readonly Cidr[]): Cidr | undefined {
  const step = 2 ** (32 - pool.size);
  for (let base = pool.base.base; base < pool.base.base + sizeOf(pool.base); base += step) {
    const candidate = { base, prefix: pool.size };
    if (!used.some((u) => overlaps(u, candidate))) return candidate;
  }
  return undefined;
}

/** A subnet for a new network from the default pool, or NETWORK_POOL_EXHAUSTED naming the network. */
export function subnetFromPool(network: string, used: readonly Cidr[], pool: AddressPool = DEFAULT_POOL): Cidr {
  const subnet = chooseSubnet(pool, used);
  if (subnet === undefined) {
    throw new TscError('NETWORK_POOL_EXHAUSTED', `network ${network}: every /${pool.size} of the address pool ${formatCidr(pool.base)} is in use`, {
      hint: 'remove unused networks with `tscompose network prune`, or give the network a subnet under ipam.config',
    });
  }
  return subnet;
}

/** The gateway of a subnet: the first host address. */
export function defaultGateway(subnet: Cidr): number {
  return subnet.base + 1;
}

/**
 * The lowest free host address of `range` (default the whole subnet) that is not the network
 * address, the broadcast address, the gateway or taken. Undefined when none is left.
 */
export function nextAddress(subnet: Cidr, gateway: number, taken: ReadonlySet<number>, range: Cidr = subnet): number | undefined {
  const first = Math.max(range.base, subnet.base + 1);
  const last = Math.min(range.base + sizeOf(range), subnet.base + sizeOf(subnet) - 1);
  for (let ip = first; ip < last; ip++) {
    if (ip !== gateway && !taken.has(ip)) return ip;
  }
  return undefined;
}

/** Checks an `ipv4_address` asked for: inside the subnet, not reserved, not taken by another container. */
export function checkRequestedAddress(network: string, subnet: Cidr, gateway: number, ip: number, takenBy: string | undefined): void {
  const where = `${formatIp(ip)} on network ${network}`;
  if (!contains(subnet, ip)) {
    throw new TscError('NETWORK_CONFLICT', `${where}: the address is outside the network's subnet ${formatCidr(subnet)}`, {
      hint: `choose an ipv4_address inside ${formatCidr(subnet)}, or set the subnet under the network's ipam.config`,
    });
  }
  if (ip === gateway || ip === subnet.base || ip === subnet.base + sizeOf(subnet) - 1) {
    throw new TscError('NETWORK_CONFLICT', `${where}: the address is the network's ${ip === gateway ? 'gateway' : ip === subnet.base ? 'network address' : 'broadcast address'}`, {
      hint: 'choose another ipv4_address',
    });
  }
  if (takenBy !== undefined) {
    throw new TscError('NETWORK_CONFLICT', `${where}: the address is already used by container ${takenBy}`, {
      hint: 'give each container its own ipv4_address, or leave it out to get a free one',
    });
  }
}
