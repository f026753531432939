import { TscError } from '../../errors/index.js';

export type PortProtocol = 'tcp' | 'udp';

/** A `ports` entry in its canonical long form (src/compose canonicalises every short syntax into it). */
export interface PortEntry {
  readonly target: number;
  /** A port, a range `"9000-9010"`, or absent for a port the kernel picks. */
  readonly published?: string;
  readonly host_ip?: string;
  readonly protocol: string;
  readonly mode?: string;
}

/** What one container asks to publish, before host ports are chosen. */
export interface PortRequest {
  /** The container that gets the port (its name). */
  readonly container: string;
  readonly service: string;
  readonly hostIp: string;
  /** The host ports to choose from; absent: any port the kernel gives. */
  readonly hostPorts?: { readonly first: number; readonly last: number };
  readonly containerPort: number;
  readonly protocol: PortProtocol;
}

/** A published port with its host port chosen. */
export interface PublishedPort {
  readonly container: string;
  readonly service: string;
  readonly hostIp: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: PortProtocol;
}

export const DEFAULT_HOST_IP = '0.0.0.0';

/** `0.0.0.0:8080->80/tcp`, as `docker ps` prints a published port. */
export function formatPublishedPort(port: Pick<PublishedPort, 'hostIp' | 'hostPort' | 'containerPort' | 'protocol'>): string {
  const ip = port.hostIp.includes(':') ? `[${port.hostIp}]` : port.hostIp;
  return `${ip}:${port.hostPort}->${port.containerPort}/${port.protocol}`;
}

/** The key a host port is bound under: protocol, address and port. */
export function hostKey(port: Pick<PublishedPort, 'hostIp' | 'hostPort' | 'protocol'>): string {
  return `${port.protocol}:${port.hostIp}:${port.hostPort}`;
}

/**
 * The requests of one container's `ports`: the host address defaults to 0.0.0.0, a published
 * range stays a range to choose from (`9000-9010:80` takes the first free port, as Docker does;
 * `8080-8081:80-81` was already split pairwise by the loader), and sctp is refused.
 */
export function portRequests(container: string, service: string, entries: readonly PortEntry[]): PortRequest[] {
  return entries.map((entry, index) => {
    const protocol = entry.protocol.toLowerCase();
    const path = `services.${service}.ports[${index}]`;
    if (protocol !== 'tcp' && protocol !== 'udp') {
      throw new TscError('UNSUPPORTED', `publish port ${entry.target}/${protocol} of \`${service}\`: only tcp and udp ports can be published`, {
        hint: 'publish the port as tcp or udp, or reach the container at its own address',
        path,
      });
    }
    const hostIp = entry.host_ip === undefined || entry.host_ip === '' ? DEFAULT_HOST_IP : entry.host_ip.replace(/^\[(.*)\]$/, '$1');
    const hostPorts = entry.published === undefined || entry.published === '' ? undefined : parseHostPorts(entry.published, service, path);
    const request: PortRequest = { container, service, hostIp, containerPort: entry.target, protocol };
    return hostPorts === undefined || (hostPorts.first === 0 && hostPorts.last === 0) ? request : { ...request, hostPorts };
  });
}

function parseHostPorts(published: string, service: string, path: string): { first: number; last: number } {
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(published.trim());
  const first = Number(match?.[1]);
  const last = match?.[2] === undefined ? first : Number(match[2]);
  if (match === null || first > 65535 || last > 65535 || last < first) {
    throw new TscError('COMPOSE_INVALID', `publish port of \`${service}\`: invalid host port ${JSON.stringify(published)}`, {
      hint: 'write a host port (8080) or a range (8080-8090)',
      path,
    });
  }
  return { first, last };
}
