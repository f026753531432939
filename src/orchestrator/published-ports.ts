import type { Project } from '../compose/model.js';
import type { NetworkRecord } from '../net/network-record.js';
import { allocatePorts, type PortProbe } from '../net/ports/port-allocator.js';
import { portRequests, type PortEntry, type PortProtocol, type PortRequest, type PublishedPort } from '../net/ports/published-port.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { PortBinding, PortsSection } from '../runtime/supervisor/ports-section.js';
import { LABELS, containerName } from './labels.js';

/**
 * Host ports chosen before the containers that publish them exist: for the services `up` handles
 * (their containers take only these; the project's other containers keep what they have) and for
 * one-off containers (`services` empty, `ports` naming the one-off).
 */
export interface PortPlan {
  readonly services: readonly string[];
  readonly ports: readonly PublishedPort[];
}

/** `next` laid over `prev`: ports of a service `next` covers, or of a container it names, are replaced. */
export function mergePlans(prev: PortPlan | undefined, next: PortPlan): PortPlan {
  if (prev === undefined) return next;
  const named = new Set(next.ports.map((p) => p.container));
  const kept = prev.ports.filter((p) => !next.services.includes(p.service) && !named.has(p.container));
  return { services: [...new Set([...prev.services, ...next.services])], ports: [...kept, ...next.ports] };
}

/** The plans of the commands running in this process, by project, until the supervisor serves their containers. */
export class PortPlans {
  private readonly plans = new Map<string, PortPlan>();

  get(project: string): PortPlan | undefined {
    return this.plans.get(project);
  }

  add(project: string, plan: PortPlan): void {
    this.plans.set(project, mergePlans(this.plans.get(project), plan));
  }

  forget(project: string): void {
    this.plans.delete(project);
  }
}

/** What the services' containers (replicas 1..n) ask to publish; `network_mode: host` publishes nothing, as with Docker. */
export function projectPortRequests(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>): PortRequest[] {
  const out: PortRequest[] = [];
  for (const { name, replicas } of services) {
    const config = project.services[name];
    if (config?.ports === undefined || config.ports.length === 0 || config.network_mode === 'host') continue;
    for (let n = 1; n <= replicas; n++) out.push(...portRequests(containerName(project.name, name, n, config.container_name), name, config.ports));
  }
  return out;
}

/**
 * Chooses every host port of the services about to run (ranges take their first free port, no port
 * takes one from the kernel) and fails with PORT_IN_USE when one is taken. `held` are the ports
 * the project's supervisor serves already: those of the planned services count as their own.
 */
export async function planPorts(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>, probe: PortProbe, held: readonly PublishedPort[]): Promise<PortPlan> {
  // Only the ports of the services being planned are theirs to reuse; the project's other
  // containers keep theirs, so those ports are as taken as anyone else's.
  const names = new Set(services.map((s) => s.name));
  const ports = await allocatePorts(projectPortRequests(project, services), probe, { held: held.filter((h) => names.has(h.service)) });
  return { services: services.map((s) => s.name), ports };
}

/**
 * Chooses the host ports of a one-off container (`run --service-ports`, `run -p`) before it is
 * created. Every port the project's supervisor serves already counts as taken, even one of the
 * same service, as with Docker: a fixed port gives PORT_IN_USE naming its holder.
 */
export async function planOneOffPorts(container: string, service: string, entries: readonly PortEntry[], probe: PortProbe, held: readonly PublishedPort[]): Promise<PortPlan> {
  const ports = await allocatePorts(portRequests(container, service, entries), heldAsTaken(probe, held));
  return { services: [], ports };
}

/** The container states whose ports the supervisor serves (a created container is about to start). */
const SERVED: ReadonlySet<ContainerInfo['status']> = new Set(['created', 'running', 'paused']);

/**
 * The bindings whose ports are held now: those of containers created, running or paused. A container
 * that stopped, exited or is gone holds none (the supervisor let go of them), whatever the config says.
 */
export function heldBindings<T extends PublishedPort>(bindings: readonly T[], containers: readonly Pick<ContainerInfo, 'name' | 'status'>[]): T[] {
  const served = new Set(containers.filter((c) => SERVED.has(c.status)).map((c) => c.name));
  return bindings.filter((b) => served.has(b.container));
}

/** The probe, with the ports in `held` in use whether or not a proxy has bound them yet. */
function heldAsTaken(probe: PortProbe, held: readonly PublishedPort[]): PortProbe {
  const wildcard = (ip: string): boolean => ip === '0.0.0.0' || ip === '::';
  const taken = (hostIp: string, port: number, protocol: PortProtocol): boolean =>
    held.some((h) => h.protocol === protocol && h.hostPort === port && (h.hostIp === hostIp || wildcard(h.hostIp) || wildcard(hostIp)));
  return {
    isFree: async (hostIp, port, protocol) => !taken(hostIp, port, protocol) && (await probe.isFree(hostIp, port, protocol)),
    ephemeral: (hostIp, protocol) => probe.ephemeral(hostIp, protocol),
    holder: (hostIp, port, protocol) => probe.holder(hostIp, port, protocol),
  };
}

/**
 * The `ports` section for the project's containers as they are now (one-offs included): a container
 * of a service the plan covers, or one the plan names, gets the plan's ports, any other keeps those
 * it had (`held`); each goes to the container's address on its first interface (eth0), absent while
 * it has none. A container being removed publishes nothing.
 */
export function portsSection(project: string, containers: readonly ContainerInfo[], plan: PortPlan | undefined, held: readonly PublishedPort[], networks: readonly NetworkRecord[]): PortsSection {
  const bindings: PortBinding[] = [];
  for (const container of containers) {
    if (container.labels[LABELS.project] !== project || container.status === 'removing') continue;
    const service = container.labels[LABELS.service] ?? '';
    const planned = (plan?.ports ?? []).filter((p) => p.container === container.name);
    const covered = container.labels[LABELS.oneoff] !== 'True' && plan?.services.includes(service) === true;
    const ports = covered || planned.length > 0 ? planned : held.filter((p) => p.container === container.name);
    const ip = containerAddress(container.name, networks);
    for (const port of ports) {
      const published: PublishedPort = { container: port.container, service: port.service, hostIp: port.hostIp, hostPort: port.hostPort, containerPort: port.containerPort, protocol: port.protocol };
      bindings.push(ip === undefined ? published : { ...published, containerIp: ip });
    }
  }
  return { bindings };
}

function containerAddress(container: string, networks: readonly NetworkRecord[]): string | undefined {
  const endpoints = networks.flatMap((n) => (n.endpoints[container] === undefined ? [] : [n.endpoints[container]]));
  endpoints.sort((a, b) => (a?.ifname ?? '').localeCompare(b?.ifname ?? '', undefined, { numeric: true }));
  return endpoints[0]?.ip;
}
