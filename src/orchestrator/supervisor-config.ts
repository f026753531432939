import type { Project } from '../compose/model.js';
import type { NetworkRecord } from '../net/network-record.js';
import type { PortProbe } from '../net/ports/port-allocator.js';
import type { PublishedPort } from '../net/ports/published-port.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { DnsSection, DnsUpstreamSetting } from '../runtime/supervisor/dns-section.js';
import type { HealthSection } from '../runtime/supervisor/health-section.js';
import type { SupervisorConfig } from '../runtime/supervisor/part.js';
import { parsePortsSection, type PortsSection } from '../runtime/supervisor/ports-section.js';
import type { RestartSection } from '../runtime/supervisor/restart-section.js';
import { dnsSection } from './dns-config.js';
import type { ImageView } from './image-view.js';
import { imageReference, LABELS } from './labels.js';
import { serviceOf } from './select.js';
import { projectEndpoints } from './network-view.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { portsSection, type PortPlan, type PortPlans } from './published-ports.js';
import { serviceHealthcheck, serviceRestartPolicy } from './service-health.js';

/** The project's supervisor as the orchestrator drives it, and what publishing through it takes; wired in api/. */
export interface SupervisorControl {
  /** Writes the config and makes the project's supervisor (started if need be) serve it. */
  apply(config: SupervisorConfig): Promise<void>;
  /** Ends the project's supervisor, if one runs, and removes its files. */
  stop(project: string): Promise<void>;
  /** The config the project's supervisor was last given (no sections when none was). */
  current(project: string): Promise<SupervisorConfig>;
  /**
   * Makes the project's supervisor, if one runs, look at its containers again, so the ports of those
   * that stopped are let go and those of those that run again are served once it resolves.
   */
  refresh?(project: string): Promise<void>;
  /** How host ports are checked free before they are published. */
  readonly probe: PortProbe;
  /** Where the DNS responders send the names they do not know. */
  readonly upstream: DnsUpstreamSetting;
  /** Host ports chosen by the commands of this process, kept until the supervisor serves their containers. */
  readonly plans: PortPlans;
}

/** What the sections are computed from: the project, its containers now, and the images of its services. */
export interface SectionInput {
  readonly project: Project;
  /** The project's containers; one-offs (`run`) publish ports but are neither checked nor restarted. */
  readonly containers: readonly ContainerInfo[];
  readonly images: ReadonlyMap<string, ImageView>;
  /** What the `dns` and `ports` sections take; without it they are left out. */
  readonly publishing?: PublishingInput;
}

export interface PublishingInput {
  /** Every network record: an external network's DNS is shared with other projects. */
  readonly networks: readonly NetworkRecord[];
  /** The project of any container on the machine, by name (for `<service>.<project>` names). */
  readonly projectOf: (container: string) => string | undefined;
  readonly upstream: DnsUpstreamSetting;
  /** Host ports chosen for the containers being started now. */
  readonly plan?: PortPlan;
  /** The ports the supervisor was serving. */
  readonly held: readonly PublishedPort[];
}

export type SectionBuilder = (input: SectionInput) => unknown;

const isOneOff = (c: ContainerInfo): boolean => c.labels[LABELS.oneoff] === 'True';
const live = (input: SectionInput): ContainerInfo[] =>
  input.containers.filter((c) => c.status !== 'removing' && !isOneOff(c) && input.project.services[serviceOf(c)] !== undefined);

/** Every container whose service (or image) has a healthcheck, with the check as plain data. */
export function healthSection(input: SectionInput): HealthSection {
  const containers = live(input).flatMap((c) => {
    const service = serviceOf(c);
    const check = serviceHealthcheck(service, input.project.services[service] ?? {}, input.images.get(service));
    return check === undefined ? [] : [{ id: c.id, check }];
  });
  return { containers };
}

/** Every container with its restart policy (`no` too, so its deaths are reported). */
export function restartSection(input: SectionInput): RestartSection {
  return { containers: live(input).map((c) => ({ id: c.id, policy: serviceRestartPolicy(serviceOf(c), input.project.services[serviceOf(c)] ?? {}) })) };
}

/** A resolver on each of the project's networks, answering for every endpoint on it as it is now. */
export function dnsConfigSection(input: SectionInput): DnsSection | undefined {
  const publishing = input.publishing;
  if (publishing === undefined) return undefined;
  return dnsSection(projectEndpoints(publishing.networks, input.project.name), publishing.upstream, publishing.projectOf);
}

/** Every published port of the project's containers (see {@link portsSection}). */
export function publishedPortsSection(input: SectionInput): PortsSection | undefined {
  const publishing = input.publishing;
  if (publishing === undefined) return undefined;
  return portsSection(input.project.name, input.containers, publishing.plan, publishing.held, publishing.networks);
}

/** The sections of supervisor.json, by the part that owns each; a builder that gives undefined leaves its section out. */
export const SECTION_BUILDERS: Readonly<Record<string, SectionBuilder>> = {
  health: healthSection,
  restart: restartSection,
  dns: dnsConfigSection,
  ports: publishedPortsSection,
};

export function supervisorConfig(input: SectionInput): SupervisorConfig {
  const sections: Record<string, unknown> = {};
  for (const [name, build] of Object.entries(SECTION_BUILDERS)) {
    const section = build(input);
    if (section !== undefined) sections[name] = section;
  }
  return { version: 1, project: input.project.name, sections };
}

/** Brings the project's supervisor in line with the containers as they are now; calls run one after the other. */
export class SupervisorSync {
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly project: Project, private readonly deps: OrchestratorDeps, private readonly images: Map<string, ImageView>) {}

  /** Starts the supervisor early, while containers are created; later syncs wait for it. Errors surface in those. */
  warmUp(): void {
    this.sync().catch(() => undefined);
  }

  sync(): Promise<void> {
    const next = this.chain.catch(() => undefined).then(() => this.once());
    this.chain = next;
    return next;
  }

  private async once(): Promise<void> {
    const control = this.deps.supervisor;
    if (control === undefined) return;
    const name = this.project.name;
    const [all, networks, current] = await Promise.all([this.deps.runtime.list(), this.deps.networks?.bridges.list() ?? [], control.current(name)]);
    const containers = all.filter((c) => c.labels[LABELS.project] === name);
    for (const service of new Set(containers.filter((c) => !isOneOff(c)).map(serviceOf))) {
      if (this.images.has(service) || this.project.services[service] === undefined) continue;
      const view = await this.deps.images.image(imageReference(this.project, service)).catch(() => undefined);
      if (view !== undefined) this.images.set(service, view);
    }
    const projectOf = new Map(all.map((c) => [c.name, c.labels[LABELS.project]]));
    const plan = control.plans.get(name);
    const publishing: PublishingInput = {
      networks, projectOf: (container) => projectOf.get(container), upstream: control.upstream,
      held: parsePortsSection(current.sections.ports).bindings, ...(plan === undefined ? {} : { plan }),
    };
    await control.apply(supervisorConfig({ project: this.project, containers, images: this.images, publishing }));
  }
}
