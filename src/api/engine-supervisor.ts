import { fileURLToPath } from 'node:url';
import type { PortProbe } from '../net/ports/port-allocator.js';
import { LABELS } from '../orchestrator/labels.js';
import { PortPlans } from '../orchestrator/published-ports.js';
import type { SupervisorControl } from '../orchestrator/supervisor-config.js';
import { releasePublishedPorts } from '../orchestrator/supervisor-publisher.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { refreshSupervisor, stopSupervisor, syncSupervisor } from '../runtime/supervisor/client.js';
import type { DnsUpstreamSetting } from '../runtime/supervisor/dns-section.js';
import { errorText } from '../runtime/supervisor/error-text.js';
import { readSupervisorConfig } from '../runtime/supervisor/supervisor-config.js';
import { supervisorPaths } from '../runtime/supervisor/supervisor-paths.js';
import type { StatePaths } from '../state/paths.js';

/** The supervisor's entry script, compiled to dist/api/ (two levels above both src/api and dist/api). */
export const SUPERVISOR_ENTRY = fileURLToPath(new URL('../../dist/api/supervisor-main.js', import.meta.url));

/** What publishing through the supervisors takes: the port probe and the DNS upstream setting. */
export interface PublishingSettings {
  readonly probe: PortProbe;
  readonly upstream: DnsUpstreamSetting;
}

/** The project supervisors of these roots, as the orchestrator drives them. */
export function supervisorControl(paths: StatePaths, settings: PublishingSettings, entry = SUPERVISOR_ENTRY): SupervisorControl {
  const plans = new PortPlans();
  return {
    probe: settings.probe,
    upstream: settings.upstream,
    plans,
    async apply(config) {
      await syncSupervisor({ paths, project: config.project, entry }, config);
    },
    async stop(project) {
      plans.forget(project);
      await stopSupervisor(paths, project);
    },
    current(project) {
      return readSupervisorConfig(supervisorPaths(paths, project).config, project);
    },
    async refresh(project) {
      await refreshSupervisor(paths, project);
    },
  };
}

/**
 * What removing a container does to the ports it published: a one-off's (`run`) are no longer
 * served. Service containers are left to `up`, whose syncs publish what their replacements need.
 * Removals in one process release one after the other, so none undoes another's edit of the config.
 * A failure is only reported (`warn`): the container goes anyway, and the next sync drops its ports.
 */
export function oneOffPortsReleaser(control: SupervisorControl, warn: (line: string) => void): (info: ContainerInfo) => Promise<void> {
  let chain: Promise<void> = Promise.resolve();
  return (info) => {
    const project = info.labels[LABELS.project];
    if (project === undefined || info.labels[LABELS.oneoff] !== 'True') return Promise.resolve();
    const next = chain.then(() => releasePublishedPorts(control, project, info.name)).catch((err: unknown) => {
      warn(`WARN[0000] stop publishing the ports of ${info.name}: ${errorText(err)}`);
    });
    chain = next;
    return next;
  };
}
