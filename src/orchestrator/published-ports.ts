import type { Project } from '../compose/model.js';
import type { NetworkRecord } from '../net/network-record.js';
import { allocatePorts, type PortProbe } from '../net/ports/port-allocator.js';
import { portRequests, type PortRequest, type PublishedPort } from '../net/ports/published-port.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { PortBinding, PortsSection } from '../runtime/supervisor/ports-section.js';
import { LABELS, containerName } from './labels.js';

/** The host ports chosen for the services `up` handles (the project's other containers keep what they have). */
export interface PortPlan {
  readonly services: readonly string[];
  readonly ports: readonly PublishedPort[];
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
 * The `ports` section for the project's containers as they are now: a container of a service the
 * plan covers gets the plan's ports, any other keeps those it had (`held`); each goes to the
 * container's address on its first interface (eth0), absent while it has none.
 */
export function portsSection(project: string, containers: readonly ContainerInfo[], plan: PortPlan | undefined, held: readonly PublishedPort[], networks: readonly NetworkRecord[]): PortsSection {
  const bindings: PortBinding[] = [];
  for (const container of containers) {
    if (container.labels[LABELS.project] !== project || container.labels[LABELS.oneoff] === 'True') continue;
    const service = container.labels[LABELS.service] ?? '';
    const ports = plan?.services.includes(service) === true ? plan.ports : held;
    const ip = containerAddress(container.name, networks);
    for (const port of ports.filter((p) => p.container === container.name)) {
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
