import type { Project } from '../compose/model.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import type { HealthSection } from '../runtime/supervisor/health-section.js';
import type { SupervisorConfig } from '../runtime/supervisor/part.js';
import type { RestartSection } from '../runtime/supervisor/restart-section.js';
import type { ImageView } from './image-view.js';
import { LABELS } from './labels.js';
import { observeProject } from './observe.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { serviceHealthcheck, serviceRestartPolicy } from './service-health.js';

/** The project's supervisor as the orchestrator drives it; wired in api/. */
export interface SupervisorControl {
  /** Writes the config and makes the project's supervisor (started if need be) serve it. */
  apply(config: SupervisorConfig): Promise<void>;
  /** Ends the project's supervisor, if one runs, and removes its files. */
  stop(project: string): Promise<void>;
}

/** What the sections are computed from: the project, its containers now, and the images of its services. */
export interface SectionInput {
  readonly project: Project;
  readonly containers: readonly ContainerInfo[];
  readonly images: ReadonlyMap<string, ImageView>;
}

export type SectionBuilder = (input: SectionInput) => unknown;

const serviceOf = (c: ContainerInfo): string => c.labels[LABELS.service] ?? '';
const live = (input: SectionInput): ContainerInfo[] => input.containers.filter((c) => c.status !== 'removing' && input.project.services[serviceOf(c)] !== undefined);

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

/** The sections of supervisor.json, by the part that owns each. */
export const SECTION_BUILDERS: Readonly<Record<string, SectionBuilder>> = {
  health: healthSection,
  restart: restartSection,
};

export function supervisorConfig(input: SectionInput): SupervisorConfig {
  const sections: Record<string, unknown> = {};
  for (const [name, build] of Object.entries(SECTION_BUILDERS)) sections[name] = build(input);
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
    const containers = await observeProject(this.deps.runtime, this.project.name);
    for (const service of new Set(containers.map(serviceOf))) {
      if (this.images.has(service) || this.project.services[service] === undefined) continue;
      const view = await this.deps.images.image(this.project.services[service]?.image ?? `${this.project.name}-${service}`).catch(() => undefined);
      if (view !== undefined) this.images.set(service, view);
    }
    await control.apply(supervisorConfig({ project: this.project, containers, images: this.images }));
  }
}
