import type { Project } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { bridgeSettings } from '../net/network-request.js';
import { LABELS } from './labels.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { planNetworkRemoval, planNetworks, type DesiredService, type NetworkAction, type ObservedContainer } from './plan.js';
import { desiredNetworks, networkRequest, serviceNetworking } from './service-networks.js';
import { step } from './up.js';

/**
 * Makes sure the networks of the given services exist before any container is created: the missing
 * ones are created (reported as steps); with `repair`, existing ones get their bridge (and NAT rules)
 * back if the host lost them — each look costs `ip` and `iptables` runs, so an `up` that starts
 * nothing skips it. With `dryRun` only the plan is returned.
 */
export async function ensureProjectNetworks(project: Project, services: readonly string[], deps: OrchestratorDeps, dryRun = false, repair = true): Promise<NetworkAction[]> {
  const bridges = deps.networks?.bridges;
  if (bridges === undefined) return [];
  const desired = desiredNetworks(project, services);
  // Every request is checked before any network is made, so a bad one leaves nothing behind.
  for (const network of desired) if (!network.external) bridgeSettings(networkRequest(project, network.key));
  const actions = planNetworks(desired, (await bridges.list()).map((r) => r.name));
  if (dryRun) return actions;
  for (const network of desired) {
    const request = networkRequest(project, network.key);
    if (actions.some((a) => a.network === network.name)) {
      await step(deps, `network ${network.name}`, 'Creating', 'Created', () => bridges.ensure(request));
    } else if (repair) {
      await bridges.ensure(network.external ? { name: network.name } : request);
    }
  }
  return actions;
}

/** Fills in the networks each service wants and each container is attached to, so the plan can recreate on a change. */
export async function addNetworkFacts(project: Project, desired: DesiredService[], observed: ObservedContainer[], deps: OrchestratorDeps): Promise<void> {
  const bridges = deps.networks?.bridges;
  if (bridges === undefined) return;
  const records = await bridges.list();
  for (const service of desired) {
    const networking = serviceNetworking(project, service.name);
    if (networking.mode === 'bridge') service.networks = networking.endpoints.map((e) => e.network).sort();
  }
  for (const container of observed) {
    const names = records.filter((r) => r.endpoints[container.name] !== undefined).map((r) => r.name).sort();
    if (names.length > 0 || desired.find((d) => d.name === container.service)?.networks !== undefined) container.networks = names;
  }
}

/**
 * After `down` removed the containers: sweeps what a crash may have left of the project (endpoints,
 * namespaces and files of its containers that no longer exist, links no record names), then removes every network the project created. One
 * still used by another project's container is NETWORK_IN_USE, after the others are removed.
 */
export async function removeProjectNetworks(project: Project, deps: OrchestratorDeps): Promise<void> {
  const net = deps.networks;
  if (net === undefined) return;
  // Only this project's leftovers: another project's container may be between its endpoints and its record.
  const live = new Set((await deps.runtime.list()).map((c) => c.name));
  const leftover = (name: string, labels?: Readonly<Record<string, string>>): boolean =>
    !live.has(name) && (labels === undefined ? name.startsWith(`${project.name}-`) : labels[LABELS.project] === project.name);
  await net.bridges.sweep(leftover);
  await net.sandboxes.sweep((name) => leftover(name));
  const owned = (await net.bridges.list()).filter((r) => r.labels[LABELS.project] === project.name).map((r) => r.name);
  const failures: TscError[] = [];
  for (const action of planNetworkRemoval(owned)) {
    try {
      await step(deps, `network ${action.network}`, 'Removing', 'Removed', () => net.bridges.remove(action.network));
    } catch (err) {
      if (!(err instanceof TscError) || err.code !== 'NETWORK_IN_USE') throw err;
      failures.push(err);
    }
  }
  if (failures[0] !== undefined) throw failures[0];
}
