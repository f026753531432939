import type { Project, ServiceConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { EndpointWish } from '../net/endpoint-allocation.js';
import type { NetworkRequest } from '../net/network-request.js';
import { LABELS, containerName } from './labels.js';
import type { DesiredNetwork } from './plan.js';

/** How one service's containers are networked. */
export type ServiceNetworking =
  | { readonly mode: 'none' }
  | { readonly mode: 'host' }
  /** `service:x` / `container:x`: the named container's namespace, reused. */
  | { readonly mode: 'join'; readonly container: string }
  /** Its own namespace with one endpoint per network, eth0 first. */
  | { readonly mode: 'bridge'; readonly endpoints: readonly EndpointWish[] };

export const NETWORK_LABEL = 'com.docker.compose.network';

/** A network's full name: its `name:`, else `<project>_<key>`. */
export function networkFullName(project: Project, key: string): string {
  return project.networks?.[key]?.name ?? `${project.name}_${key}`;
}

/**
 * The networking of a service: `network_mode` (host, none, service:x, container:x), else its
 * networks ordered as Compose orders interfaces: higher `priority` first, then by name.
 */
export function serviceNetworking(project: Project, service: string): ServiceNetworking {
  const config = project.services[service] as ServiceConfig;
  const mode = config.network_mode;
  if (mode === 'none') return { mode: 'none' };
  if (mode === 'host') return { mode: 'host' };
  if (mode?.startsWith('service:') === true) {
    const target = mode.slice('service:'.length);
    return { mode: 'join', container: containerName(project.name, target, 1, project.services[target]?.container_name) };
  }
  if (mode?.startsWith('container:') === true) return { mode: 'join', container: mode.slice('container:'.length) };
  if (mode !== undefined) {
    throw new TscError('UNSUPPORTED', `service "${service}": network_mode "${mode}" is not supported`, {
      hint: 'use host, none, service:<name> or container:<name>, or attach the service to networks',
      path: `services.${service}.network_mode`,
    });
  }
  const entries = Object.entries(config.networks ?? { default: null });
  const priority = (key: string): number => Number(config.networks?.[key]?.priority ?? 0);
  entries.sort(([a], [b]) => priority(b) - priority(a) || a.localeCompare(b));
  return {
    mode: 'bridge',
    endpoints: entries.map(([key, value]) => ({
      network: networkFullName(project, key),
      ...(value?.aliases === undefined ? {} : { aliases: value.aliases }),
      ...(value?.ipv4_address === undefined ? {} : { ipv4Address: value.ipv4_address }),
      ...(value?.mac_address ?? config.mac_address ? { macAddress: String(value?.mac_address ?? config.mac_address) } : {}),
    })),
  };
}

/** The networks the given services join, keyed as in the file, in name order. */
export function desiredNetworks(project: Project, services: readonly string[]): DesiredNetwork[] {
  const keys = new Set<string>();
  for (const service of services) {
    const config = project.services[service];
    if (config === undefined || config.network_mode !== undefined) continue;
    for (const key of Object.keys(config.networks ?? { default: null })) keys.add(key);
  }
  return [...keys].sort().map((key) => ({ key, name: networkFullName(project, key), external: project.networks?.[key]?.external === true }));
}

/** What to ask the network layer for a project network: its settings and Compose's labels. */
export function networkRequest(project: Project, key: string): NetworkRequest {
  const config = project.networks?.[key] ?? {};
  const ipam = (config.ipam?.config ?? [])[0] as { subnet?: string; gateway?: string; ip_range?: string } | undefined;
  return {
    name: networkFullName(project, key),
    labels: { ...(config.labels ?? {}), [NETWORK_LABEL]: key, [LABELS.project]: project.name },
    ...(config.driver === undefined ? {} : { driver: config.driver }),
    ...(config.driver_opts === undefined ? {} : { driverOpts: config.driver_opts }),
    internal: config.internal === true,
    attachable: config.attachable === true,
    ...(ipam === undefined ? {} : {
      ipam: {
        ...(ipam.subnet === undefined ? {} : { subnet: String(ipam.subnet) }),
        ...(ipam.gateway === undefined ? {} : { gateway: String(ipam.gateway) }),
        ...(ipam.ip_range === undefined ? {} : { ipRange: String(ipam.ip_range) }),
      },
    }),
  };
}
