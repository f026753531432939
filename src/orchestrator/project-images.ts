import type { Project } from '../compose/model.js';
import type { ContainerInfo } from '../runtime/container-info.js';
import { imageReference, LABELS } from './labels.js';

/** What `images` shows of an image: looked up in the image store by the caller. */
export interface ImageFacts {
  /** `sha256:…` of the image config, as Docker's IMAGE ID. */
  id: string;
  size: number;
}

export interface ProjectImage {
  container: string;
  service: string;
  reference: string;
  repository: string;
  tag: string;
  digest: string;
  id?: string;
  size?: number;
}

/** `busybox:1`, `localhost:5000/app:2`, `app@sha256:…` into repository and tag, as Docker splits them. */
export function splitReference(reference: string): { repository: string; tag: string } {
  const at = reference.indexOf('@');
  if (at >= 0) return { repository: reference.slice(0, at), tag: '<none>' };
  const colon = reference.lastIndexOf(':');
  if (colon > reference.lastIndexOf('/')) return { repository: reference.slice(0, colon), tag: reference.slice(colon + 1) };
  return { repository: reference, tag: 'latest' };
}

/** `images`: the image of each of the project's containers, sorted by container name. */
export async function projectImages(containers: readonly ContainerInfo[], facts: (reference: string) => Promise<ImageFacts | undefined>): Promise<ProjectImage[]> {
  const rows = await Promise.all([...containers].sort((a, b) => (a.name < b.name ? -1 : 1)).map(async (c) => {
    const found = await facts(c.image.reference).catch(() => undefined);
    return {
      container: c.name,
      service: c.labels[LABELS.service] ?? '',
      reference: c.image.reference,
      ...splitReference(c.image.reference),
      digest: c.image.digest ?? '',
      ...(found === undefined ? {} : { id: found.id, size: found.size }),
    };
  }));
  return rows;
}

/**
 * The images `down --rmi` removes: `all` every image a service uses; `local` only those without an
 * `image:` of their own (built ones, named `<project>-<service>`), as Compose decides.
 */
export function imagesToRemove(project: Project, containers: readonly ContainerInfo[], mode: 'local' | 'all'): string[] {
  const names = new Set<string>();
  for (const [name, service] of Object.entries(project.services)) {
    if (service.image !== undefined && mode === 'all') names.add(service.image);
    if (service.image === undefined) names.add(imageReference(project, name));
  }
  if (mode === 'all') for (const c of containers) names.add(c.image.reference);
  return [...names].sort();
}
