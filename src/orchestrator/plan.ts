import { TscError } from '../errors/index.js';
import { RESTART_REASON } from './restart-dependents.js';

/**
 * The pure planning step: what must change to turn the observed containers into the desired ones.
 * Compose's rule: a container is recreated when its config hash or image differs; missing replicas
 * are created, surplus ones removed (highest number first); stopped ones are started.
 */

export interface DesiredService {
  name: string;
  replicas: number;
  configHash: string;
  /** The image digest the service would run now; undefined when not known yet. */
  imageDigest?: string;
  /** container_name, which only a single replica may have. */
  containerName?: string;
  /** Full names of the networks its containers join, sorted; undefined when not known. */
  networks?: string[];
}

export type ObservedStatus = 'created' | 'running' | 'paused' | 'exited' | 'dead';

export interface ObservedContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  configHash: string;
  imageDigest?: string;
  status: ObservedStatus;
  /** Full names of the networks it is attached to, sorted; undefined when not known. */
  networks?: string[];
}

export type Action =
  | { kind: 'create'; service: string; number: number; reason: string }
  | { kind: 'recreate'; service: string; number: number; container: ObservedContainer; reason: string }
  | { kind: 'start'; service: string; container: ObservedContainer; reason: string }
  | { kind: 'remove'; service: string; container: ObservedContainer; reason: string };

export interface PlanOptions {
  forceRecreate?: boolean;
  noRecreate?: boolean;
  removeOrphans?: boolean;
  /** Services whose dependencies were recreated and that declare `restart: true` on them. */
  recreateDependents?: ReadonlySet<string>;
  /** Leave containers created but not started (`up --no-start`, `create`). */
  noStart?: boolean;
}

export function plan(desired: readonly DesiredService[], observed: readonly ObservedContainer[], options: PlanOptions = {}): Action[] {
  const actions: Action[] = [];
  const wanted = new Set(desired.map((d) => d.name));
  for (const service of desired) {
    const mine = observed.filter((c) => c.service === service.name).sort((a, b) => a.number - b.number);
    for (const container of mine.slice(service.replicas).reverse()) {
      actions.push({ kind: 'remove', service: service.name, container, reason: `scale down to ${service.replicas}` });
    }
    const kept = mine.slice(0, service.replicas);
    for (const container of kept) {
      const why = recreateReason(service, container, options);
      if (why !== undefined) actions.push({ kind: 'recreate', service: service.name, number: container.number, container, reason: why });
      else if (container.status !== 'running' && container.status !== 'paused' && options.noStart !== true) {
        actions.push({ kind: 'start', service: service.name, container, reason: `container is ${container.status}` });
      }
    }
    const used = new Set(kept.map((c) => c.number));
    let next = 1;
    for (let missing = service.replicas - kept.length; missing > 0; missing--) {
      while (used.has(next)) next++;
      used.add(next);
      actions.push({ kind: 'create', service: service.name, number: next, reason: kept.length === 0 && missing === service.replicas ? 'no container yet' : `scale up to ${service.replicas}` });
    }
  }
  if (options.removeOrphans === true) {
    for (const container of observed.filter((c) => !wanted.has(c.service))) {
      actions.push({ kind: 'remove', service: container.service, container, reason: 'orphan: its service is no longer in the project' });
    }
  }
  return actions;
}

function recreateReason(service: DesiredService, container: ObservedContainer, options: PlanOptions): string | undefined {
  if (options.noRecreate === true) return undefined;
  if (options.forceRecreate === true) return 'forced (--force-recreate)';
  if (container.configHash !== service.configHash) return 'configuration changed';
  if (service.imageDigest !== undefined && container.imageDigest !== undefined && container.imageDigest !== service.imageDigest) return 'image changed';
  if (service.networks !== undefined && container.networks !== undefined && service.networks.join('\n') !== container.networks.join('\n')) return 'networks changed';
  if (options.recreateDependents?.has(service.name) === true) return RESTART_REASON;
  return undefined;
}

/** The orphans of a project: containers whose service is not desired. */
export function orphans(desired: readonly DesiredService[], observed: readonly ObservedContainer[]): ObservedContainer[] {
  const wanted = new Set(desired.map((d) => d.name));
  return observed.filter((c) => !wanted.has(c.service));
}

/** One line per action, for `up --dry-run` and progress output. */
export function describeAction(action: Action, containerName: (service: string, number: number) => string): string {
  switch (action.kind) {
    case 'create': return `create ${containerName(action.service, action.number)} (${action.reason})`;
    case 'recreate': return `recreate ${action.container.name} (${action.reason})`;
    case 'start': return `start ${action.container.name} (${action.reason})`;
    case 'remove': return `remove ${action.container.name} (${action.reason})`;
  }
}

/** A compose network as the project wants it: its key in the file and its full name. */
export interface DesiredNetwork {
  key: string;
  name: string;
  /** `external: true`: it must exist already; the project never creates or removes it. */
  external: boolean;
}

export type NetworkAction =
  | { kind: 'create-network'; network: string; reason: string }
  | { kind: 'remove-network'; network: string; reason: string };

/**
 * The networks `up` must create (the ones that do not exist yet), before any container. A missing
 * external network is NETWORK_NOT_FOUND, as Compose reports it.
 */
export function planNetworks(desired: readonly DesiredNetwork[], existing: readonly string[]): NetworkAction[] {
  const have = new Set(existing);
  const actions: NetworkAction[] = [];
  for (const network of desired) {
    if (have.has(network.name)) continue;
    if (network.external) {
      throw new TscError('NETWORK_NOT_FOUND', `network ${network.name} declared as external, but could not be found`, {
        hint: `create it first (another project's \`up\` does), or remove \`external: true\` from networks.${network.key}`,
        path: `networks.${network.key}`,
      });
    }
    actions.push({ kind: 'create-network', network: network.name, reason: 'it does not exist yet' });
  }
  return actions;
}

/** The networks `down` removes: every one the project created (found by its label), after its containers. */
export function planNetworkRemoval(owned: readonly string[]): NetworkAction[] {
  return owned.map((network) => ({ kind: 'remove-network', network, reason: 'the project is going down' }));
}

export function describeNetworkAction(action: NetworkAction): string {
  return `${action.kind === 'create-network' ? 'create' : 'remove'} network ${action.network} (${action.reason})`;
}
