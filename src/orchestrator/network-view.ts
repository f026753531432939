import type { NetworkRecord } from '../net/network-record.js';
import { LABELS } from './labels.js';

export interface EndpointView {
  /** The container's name. */
  readonly container: string;
  /** Its compose service; empty for a container no project made. */
  readonly service: string;
  readonly ip: string;
  readonly aliases: readonly string[];
}

export interface NetworkView {
  readonly name: string;
  readonly bridge: string;
  readonly gateway: string;
  readonly subnet: string;
  readonly internal: boolean;
  readonly endpoints: readonly EndpointView[];
}

/**
 * The networks a project uses and who is on them, from the network records: the networks it created
 * (its label) and those its containers joined (external ones). Every endpoint of such a network is
 * listed, other projects' included, since they all share its DNS. Pure, so the DNS section of the
 * supervisor config can be computed from it.
 */
export function projectEndpoints(records: readonly NetworkRecord[], project: string): NetworkView[] {
  const mine = (r: NetworkRecord): boolean =>
    r.labels[LABELS.project] === project || Object.values(r.endpoints).some((e) => e.labels[LABELS.project] === project);
  return records.filter(mine).sort((a, b) => a.name.localeCompare(b.name)).map((r) => ({
    name: r.name,
    bridge: r.bridge,
    gateway: r.gateway,
    subnet: r.subnet,
    internal: r.internal,
    endpoints: Object.values(r.endpoints).sort((a, b) => a.container.localeCompare(b.container)).map((e) => ({
      container: e.container,
      service: e.labels[LABELS.service] ?? '',
      ip: e.ip,
      aliases: e.aliases,
    })),
  }));
}
