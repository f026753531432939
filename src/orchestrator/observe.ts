import type { ContainerInfo } from '../runtime/container-info.js';
import type { Runtime } from '../runtime/runtime.js';
import { LABELS } from './labels.js';
import type { ObservedContainer, ObservedStatus } from './plan.js';

/** The project's containers as the runtime sees them now (one-off `run` containers excluded). */
export async function observeProject(runtime: Runtime, project: string): Promise<ContainerInfo[]> {
  const all = await runtime.list({ labels: { [LABELS.project]: project } });
  return all.filter((c) => c.labels[LABELS.oneoff] !== 'True');
}

export function toObserved(info: ContainerInfo): ObservedContainer {
  const status: ObservedStatus = info.status === 'running' || info.status === 'paused' || info.status === 'created' ? info.status : 'exited';
  return {
    id: info.id,
    name: info.name,
    service: info.labels[LABELS.service] ?? '',
    number: Number(info.labels[LABELS.number] ?? '0'),
    configHash: info.labels[LABELS.configHash] ?? '',
    ...(info.labels[LABELS.image] === undefined ? {} : { imageDigest: info.labels[LABELS.image] }),
    status,
  };
}
