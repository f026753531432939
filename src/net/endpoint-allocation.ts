import { TscError } from '../errors/index.js';
import { checkRequestedAddress, nextAddress } from './ipam.js';
import { formatCidr, formatIp, parseCidr, parseIp, type Cidr } from './ipv4.js';
import { hostVethName, interfaceName, macFor } from './network-names.js';
import type { EndpointRecord, NetworkRecord } from './network-record.js';

/** What a container asks of one network: Compose's `services.*.networks.<name>`. */
export interface EndpointWish {
  /** The network's full name. */
  readonly network: string;
  readonly aliases?: readonly string[];
  readonly ipv4Address?: string;
  readonly macAddress?: string;
}

export interface EndpointContext {
  readonly container: string;
  /** Position among the container's endpoints: 0 is eth0. */
  readonly index: number;
  readonly netns: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly dataRoot: string;
}

const MAC = /^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/;

/** The endpoint a container gets on a network: the address asked for (checked) or the lowest free one. */
export function allocateEndpoint(record: NetworkRecord, wish: EndpointWish, context: EndpointContext): EndpointRecord {
  const subnet = parseCidr(record.subnet) as Cidr;
  const gateway = parseIp(record.gateway) as number;
  const others = Object.values(record.endpoints).filter((e) => e.container !== context.container);
  const taken = new Map(others.map((e) => [parseIp(e.ip) as number, e.container]));
  let ip: number | undefined;
  if (wish.ipv4Address !== undefined) {
    ip = parseIp(wish.ipv4Address);
    if (ip === undefined) {
      throw new TscError('NETWORK_CONFLICT', `container ${context.container}: ipv4_address "${wish.ipv4Address}" on network ${record.name} is not an IPv4 address`, {
        hint: 'write it as four numbers from 0 to 255, e.g. 172.28.0.10',
      });
    }
    checkRequestedAddress(record.name, subnet, gateway, ip, taken.get(ip));
  } else {
    const range = record.ipRange === undefined ? subnet : (parseCidr(record.ipRange) as Cidr);
    ip = nextAddress(subnet, gateway, new Set(taken.keys()), range);
    if (ip === undefined) {
      throw new TscError('NETWORK_POOL_EXHAUSTED', `network ${record.name}: no free address left in ${formatCidr(range)} for container ${context.container}`, {
        hint: 'remove containers from the network, or give it a larger subnet or ip_range',
      });
    }
  }
  if (wish.macAddress !== undefined && !MAC.test(wish.macAddress)) {
    throw new TscError('NETWORK_CONFLICT', `container ${context.container}: mac_address "${wish.macAddress}" is not a MAC address`, {
      hint: 'write it as six hex pairs, e.g. 02:42:ac:11:00:02',
    });
  }
  const mac = (wish.macAddress ?? macFor(ip)).toLowerCase();
  const sameMac = others.find((e) => e.mac === mac);
  if (sameMac !== undefined) {
    throw new TscError('NETWORK_CONFLICT', `container ${context.container}: mac_address ${mac} on network ${record.name} is already used by ${sameMac.container}`, {
      hint: 'give each container its own mac_address',
    });
  }
  return {
    container: context.container,
    ip: formatIp(ip),
    mac,
    ifname: interfaceName(context.index),
    hostIfname: hostVethName(context.dataRoot, record.name, context.container),
    aliases: [...(wish.aliases ?? [])],
    netns: context.netns,
    labels: context.labels,
  };
}
