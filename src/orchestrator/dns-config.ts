import type { DnsNetworkSection, DnsSection, DnsUpstreamSetting } from '../runtime/supervisor/dns-section.js';
import type { NetworkView } from './network-view.js';

/**
 * `TSCOMPOSE_DNS_UPSTREAM`: unset or `host` forwards to the host's resolvers, `none` forwards
 * nothing (tests), otherwise a comma-separated list of resolver addresses.
 */
export function dnsUpstreamSetting(value: string | undefined): DnsUpstreamSetting {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'host') return 'host';
  if (text === 'none') return 'none';
  return text.split(',').map((a) => a.trim()).filter((a) => a !== '');
}

/**
 * The `dns` section: a resolver on each network's gateway, answering on that network for every
 * endpoint's service name (all replicas), `<service>.<project>`, container name and aliases.
 * `projectOf` names the project of a container (endpoints of other projects share an external
 * network's DNS too); without it only the plain names are given. Each network also says whose each
 * container is (`projects`): the supervisor contributes only its own project's endpoints to the
 * network's shared resolver (src/runtime/supervisor/dns-share.ts), so what another project changed
 * since this one's last sync is never answered from here.
 */
export function dnsSection(views: readonly NetworkView[], upstream: DnsUpstreamSetting, projectOf: (container: string) => string | undefined = () => undefined): DnsSection {
  return { upstream, networks: views.map((view) => networkRecords(view, projectOf)) };
}

function networkRecords(view: NetworkView, projectOf: (container: string) => string | undefined): DnsNetworkSection {
  const records = new Map<string, string[]>();
  const containers: Record<string, string> = {};
  const projects: Record<string, string> = {};
  const add = (name: string, ip: string): void => {
    const key = name.toLowerCase();
    const list = records.get(key) ?? [];
    if (!list.includes(ip)) list.push(ip);
    records.set(key, list);
  };
  for (const endpoint of view.endpoints) {
    add(endpoint.container, endpoint.ip);
    containers[endpoint.container] = endpoint.ip;
    const owner = projectOf(endpoint.container);
    if (owner !== undefined) projects[endpoint.container] = owner;
    for (const alias of endpoint.aliases) add(alias, endpoint.ip);
    if (endpoint.service === '') continue;
    add(endpoint.service, endpoint.ip);
    if (owner !== undefined) add(`${endpoint.service}.${owner}`, endpoint.ip);
  }
  const sorted = Object.fromEntries([...records].sort(([a], [b]) => a.localeCompare(b)));
  return { name: view.name, listen: view.gateway, internal: view.internal, records: sorted, containers, projects };
}
