import { createHash } from 'node:crypto';
import { formatIp } from './ipv4.js';

const hash = (...parts: string[]): string => createHash('sha256').update(parts.join('\0')).digest('hex');

/** `tsc-` and 11 hex digits (15 characters, the kernel's limit), from the data root and the network's full name. */
export function bridgeName(dataRoot: string, network: string): string {
  return `tsc-${hash(dataRoot, network).slice(0, 11)}`;
}

/** The host side of a container's veth: `tsc` and 12 hex digits, from the data root, network and container. */
export function hostVethName(dataRoot: string, network: string, container: string): string {
  return `tsc${hash(dataRoot, network, container).slice(0, 12)}`;
}

/** A network's id: 64 hex digits, fixed by the data root, its name and when it was made. */
export function networkId(dataRoot: string, network: string, createdAt: string): string {
  return hash(dataRoot, network, createdAt);
}

/** The alias left on every link tscompose makes, naming the data root it belongs to. */
export function linkAlias(dataRoot: string, what: { network: string; container?: string }): string {
  return `tscompose root=${dataRoot} network=${what.network}${what.container === undefined ? '' : ` container=${what.container}`}`;
}

/** Whether a link's alias says it belongs to this data root. */
export function ownedBy(alias: string | undefined, dataRoot: string): boolean {
  return alias !== undefined && alias.startsWith(`tscompose root=${dataRoot} network=`);
}

/** Docker's rule for a MAC address nobody asked for: 02:42 and the four bytes of the IPv4 address. */
export function macFor(ip: number): string {
  return ['02', '42', ...formatIp(ip).split('.').map((o) => Number(o).toString(16).padStart(2, '0'))].join(':');
}

/** The container side names by position: eth0, eth1, ... */
export function interfaceName(index: number): string {
  return `eth${index}`;
}
