import type { Project } from '../compose/model.js';
import type { RootfsPlan } from '../kernel/launch-plan.js';
import type { MountSpec } from '../runtime/container-spec.js';
import type { ImageView } from './image-view.js';
import type { OrchestratorDeps } from './orchestrator-deps.js';
import { prepareMounts } from './prepare-mounts.js';
import { serviceMountRequests } from './service-mounts.js';

/** What the mounts of a new container depend on beyond its service. */
export interface ContainerMountOptions {
  /** Anonymous volumes of the container being replaced, by target (kept unless `--renew-anon-volumes`). */
  reuse?: ReadonlyMap<string, string>;
  /** Variables for secrets and configs with an `environment` source. */
  variables?: Readonly<Record<string, string>>;
}

/**
 * The mounts of a new container of `service`: its tmpfs, binds, named and anonymous volumes (the
 * image's VOLUMEs included), volumes_from, secrets and configs, with every volume made and, when new
 * and empty, filled from the image's content at its mount point before the container exists.
 */
export async function containerMounts(
  project: Project, service: string, container: string, image: ImageView, rootfs: Omit<RootfsPlan, 'readonly'>,
  deps: OrchestratorDeps, options: ContainerMountOptions = {},
): Promise<MountSpec[]> {
  const requests = serviceMountRequests(project, service, image.volumes ?? []);
  const layers = rootfs.overlay === undefined ? [rootfs.path] : rootfs.overlay.lowerdirs;
  return prepareMounts({ project, service, container, deps, layers, ...options }, requests);
}
