import { TscError } from '../errors/index.js';

/** What a container's /etc/hosts says besides the loopback lines. */
export interface HostsContent {
  readonly hostname: string;
  readonly domainname?: string;
  /** The container's first address; absent (no network): its name goes on the loopback line. */
  readonly address?: string;
  /** `extra_hosts`: name → addresses, where `host-gateway` is already replaced. */
  readonly extraHosts?: Readonly<Record<string, readonly string[]>>;
}

const LOOPBACK = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

/** /etc/hosts as Docker writes it: the loopback lines, then `extra_hosts`, then the container's own name. */
export function renderHosts(content: HostsContent): string {
  const names = content.domainname === undefined || content.domainname === ''
    ? content.hostname
    : `${content.hostname}.${content.domainname} ${content.hostname}`;
  const extra = Object.entries(content.extraHosts ?? {}).flatMap(([host, ips]) => ips.map((ip) => `${ip}\t${host}`));
  const own = content.address === undefined ? `127.0.0.1\t${names}` : `${content.address}\t${names}`;
  return `${[...LOOPBACK, ...extra, own].join('\n')}\n`;
}

/** `extra_hosts` with `host-gateway` resolved to the given address (an error when there is none). */
export function resolveExtraHosts(extra: Readonly<Record<string, readonly string[]>>, hostGateway: string | undefined, service: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [host, ips] of Object.entries(extra)) {
    out[host] = ips.map((ip) => {
      if (ip !== 'host-gateway') return ip;
      if (hostGateway === undefined) {
        throw new TscError('NETWORK_CONFLICT', `service "${service}": extra_hosts ${host}:host-gateway needs a network with a gateway`, {
          hint: 'attach the service to a network, or give the address itself',
          path: `services.${service}.extra_hosts`,
        });
      }
      return hostGateway;
    });
  }
  return out;
}

export interface ResolvContent {
  readonly nameservers: readonly string[];
  readonly search?: readonly string[];
  readonly options?: readonly string[];
}

/** /etc/resolv.conf from nameservers, search domains and options. */
export function renderResolvConf(content: ResolvContent): string {
  const lines = content.nameservers.map((ns) => `nameserver ${ns}`);
  if (content.search !== undefined && content.search.length > 0) lines.push(`search ${content.search.join(' ')}`);
  if (content.options !== undefined && content.options.length > 0) lines.push(`options ${content.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}
