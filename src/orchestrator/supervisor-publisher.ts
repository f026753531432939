import type { Project } from '../compose/model.js';
import type { PortProbe } from '../net/ports/port-allocator.js';
import type { Runtime } from '../runtime/runtime.js';
import type { DnsUpstreamSetting } from '../runtime/supervisor/dns-section.js';
import type { SupervisorConfig } from '../runtime/supervisor/part.js';
import { parsePortsSection, type PortBinding } from '../runtime/supervisor/ports-section.js';
import { readSupervisorConfig } from '../runtime/supervisor/supervisor-config.js';
import { supervisorPaths } from '../runtime/supervisor/supervisor-paths.js';
import type { StatePaths } from '../state/paths.js';
import { dnsSection } from './dns-config.js';
import { LABELS } from './labels.js';
import type { NetworkProvider } from './network-provider.js';
import { projectEndpoints } from './network-view.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { planPorts, portsSection, type PortPlan } from './published-ports.js';
import type { SupervisorControl } from './supervisor-config.js';

export interface PublishingSupervisorOptions {
  readonly paths: StatePaths;
  readonly runtime: Runtime;
  readonly networks?: NetworkProvider;
  readonly probe: PortProbe;
  readonly upstream: DnsUpstreamSetting;
}

/**
 * The project's supervisor control with the `dns` and `ports` sections added to every config it
 * applies: DNS records from the network records as they are now, published ports from the plan of
 * the running `up` (see {@link preflightPorts}) or, for containers it does not cover, from what the
 * supervisor served before. So every sync (after each level of `up`, on start/restart) keeps them
 * current: a recreated container's new address, a new replica's name.
 */
export class PublishingSupervisor implements SupervisorControl {
  private readonly plans = new Map<string, PortPlan>();

  constructor(private readonly inner: SupervisorControl, private readonly options: PublishingSupervisorOptions) {}

  /** The ports the project's supervisor is told to serve now. */
  async published(project: string): Promise<PortBinding[]> {
    const config = await readSupervisorConfig(supervisorPaths(this.options.paths, project).config, project);
    return [...parsePortsSection(config.sections.ports).bindings];
  }

  /** Chooses the host ports of the services `up` is about to run, before anything is created; kept for the following applies. */
  async preflight(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>): Promise<PortPlan> {
    const plan = await planPorts(project, services, this.options.probe, await this.published(project.name));
    this.plans.set(project.name, plan);
    return plan;
  }

  async apply(config: SupervisorConfig): Promise<void> {
    const project = config.project;
    const [containers, records, held] = await Promise.all([
      this.options.runtime.list(), this.options.networks?.bridges.list() ?? [], this.published(project),
    ]);
    const projectOf = new Map(containers.map((c) => [c.name, c.labels[LABELS.project]]));
    const dns = dnsSection(projectEndpoints(records, project), this.options.upstream, (name) => projectOf.get(name));
    const ports = portsSection(project, containers, this.plans.get(project), held, records);
    await this.inner.apply({ ...config, sections: { ...config.sections, dns, ports } });
  }

  async stop(project: string): Promise<void> {
    this.plans.delete(project);
    await this.inner.stop(project);
  }
}

/**
 * The pre-flight of `up`: chooses every published host port before anything is created, so a port
 * in use fails `up` with PORT_IN_USE and nothing half made. Without a publishing supervisor (tests
 * with fakes) nothing is published and nothing is checked.
 */
export async function preflightPorts(project: Project, services: ReadonlyArray<{ name: string; replicas: number }>, deps: OrchestratorDeps): Promise<PortPlan | undefined> {
  return deps.supervisor instanceof PublishingSupervisor ? deps.supervisor.preflight(project, services) : undefined;
}

/** The published ports of the project, for `ps` and `port`. */
export async function projectPublishedPorts(deps: OrchestratorDeps, project: string): Promise<PortBinding[]> {
  return deps.supervisor instanceof PublishingSupervisor ? deps.supervisor.published(project) : [];
}
