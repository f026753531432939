import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { LABELS } from './labels.js';

export interface ProjectSummary {
  name: string;
  /** `running(2)`, or `exited(1), running(1)`: each state with its count, as `docker compose ls`. */
  status: string;
  configFiles: string;
  running: number;
}

/** The projects that have containers, from the containers' labels; without `all` only those with one running. */
export function summarizeProjects(containers: readonly ContainerInfo[], all: boolean): ProjectSummary[] {
  const byProject = new Map<string, ContainerInfo[]>();
  for (const c of containers) {
    const name = c.labels[LABELS.project];
    if (name === undefined) continue;
    byProject.set(name, [...(byProject.get(name) ?? []), c]);
  }
  const out: ProjectSummary[] = [];
  for (const [name, mine] of byProject) {
    const counts = new Map<string, number>();
    for (const c of mine) counts.set(c.status, (counts.get(c.status) ?? 0) + 1);
    const running = counts.get('running') ?? 0;
    if (!all && running === 0) continue;
    const status = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([s, n]) => `${s}(${n})`).join(', ');
    const configFiles = mine.map((c) => c.labels[LABELS.configFiles] ?? '').find((f) => f !== '') ?? '';
    out.push({ name, status, configFiles, running });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

export async function listProjects(runtime: Runtime, all: boolean): Promise<ProjectSummary[]> {
  return summarizeProjects(await runtime.list({ labels: { [LABELS.project]: true } }), all);
}
