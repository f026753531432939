import { parsePortSpec } from '../compose/canonical/port-spec.js';
import type { PortConfig, Project, ServiceConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { planOneOffPorts, type PortPlan } from './published-ports.js';
import { SupervisorSync } from './supervisor-config.js';
import { heldPublishedPorts } from './supervisor-publisher.js';

/** What `run` is asked to publish. */
export interface OneOffPublishing {
  /** `-p`/`--publish`, docker's short syntax, repeatable. */
  readonly publish?: readonly string[];
  /** `--service-ports`: the service's own `ports`. */
  readonly servicePorts?: boolean;
}

const PUBLISH_HINT = 'write -p [IP:][HOST_PORT[-END]:]CONTAINER_PORT[-END][/PROTOCOL], e.g. -p 8080:80, -p 127.0.0.1:9000-9010:80 or -p 53/udp';

/** One `-p` as `docker run` reads it: ranges of equal length pair up, a host range over one port takes its first free one. */
export function parsePublish(spec: string): PortConfig[] {
  const parsed = parsePortSpec(spec.trim());
  if ('error' in parsed) throw new TscError('USAGE', `-p ${spec}: ${parsed.error}`, { hint: PUBLISH_HINT });
  return parsed.ports.map((port) => ({ mode: 'ingress', ...port }));
}

/**
 * The ports a one-off publishes, by Compose's rule: none of the service's own unless
 * `--service-ports`, those of `-p` when given; the two do not combine.
 */
export function oneOffPorts(base: ServiceConfig, options: OneOffPublishing): PortConfig[] {
  const publish = options.publish ?? [];
  if (publish.length > 0 && options.servicePorts === true) {
    throw new TscError('USAGE', '--service-ports and --publish cannot be combined', { hint: "publish the service's ports with --service-ports, or name each port with -p" });
  }
  if (publish.length > 0) return publish.flatMap(parsePublish);
  return options.servicePorts === true ? [...(base.ports ?? [])] : [];
}

/**
 * Chooses the host ports of the one-off container `container` (its service config as `run` made
 * it), before it is created: a port in use, the project's published ones included, is PORT_IN_USE.
 * The ports of the project's containers that stopped or exited (one-offs too) are not held: the
 * supervisor is asked to let go of them first, and they are checked free like any other.
 * Nothing to publish, host networking (Docker drops published ports there) or no supervisor: undefined.
 */
export async function planOneOff(project: string, service: string, config: ServiceConfig, container: string, deps: OrchestratorDeps): Promise<PortPlan | undefined> {
  const control = deps.supervisor;
  const entries = config.network_mode === 'host' ? [] : config.ports ?? [];
  if (control === undefined || entries.length === 0) return undefined;
  return planOneOffPorts(container, service, entries, control.probe, await heldPublishedPorts(deps, project));
}

/** Makes the project's supervisor serve the one-off's planned ports (started if need be). */
export async function publishOneOff(project: Project, plan: PortPlan | undefined, deps: OrchestratorDeps): Promise<void> {
  const control = deps.supervisor;
  if (plan === undefined || control === undefined) return;
  control.plans.add(project.name, plan);
  await new SupervisorSync(project, deps, new Map()).sync();
}
