import type { Digest } from './digest.js';
import { Annotation } from './media-types.js';
import type { Descriptor, ImageIndex } from './oci-types.js';
import { parseReference, formatReference } from './reference.js';

/**
 * The full image name an index entry records: ours, containerd's, or an OCI ref name that is itself
 * a full reference. A bare tag (`latest`) names no repository and gives undefined.
 */
export function nameOfDescriptor(descriptor: Descriptor): string | undefined {
  const annotations = descriptor.annotations ?? {};
  const candidates = [annotations[Annotation.imageName], annotations[Annotation.containerdName]];
  const refName = annotations[Annotation.refName];
  if (refName !== undefined && (refName.includes('/') || refName.includes(':'))) candidates.push(refName);
  for (const candidate of candidates) {
    if (candidate === undefined) continue;
    try {
      const ref = parseReference(candidate);
      if (ref.digest === undefined) return formatReference(ref);
    } catch {
      // not a usable name: try the next annotation
    }
  }
  return undefined;
}

/** The descriptor tscompose records in index.json for `digest` under the full name `name`. */
export function namedDescriptor(manifest: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>, name: string | undefined): Descriptor {
  const out: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
  if (name !== undefined) out.annotations = { [Annotation.refName]: name, [Annotation.imageName]: name };
  return out;
}

/**
 * Record `name` → manifest in the index: the name moves off any other image, and a nameless entry
 * of the same manifest is dropped.
 */
export function setName(index: ImageIndex, manifest: Pick<Descriptor, 'mediaType' | 'digest' | 'size'>, name: string | undefined): void {
  index.manifests = index.manifests.filter((d) => {
    const existing = nameOfDescriptor(d);
    if (name !== undefined && existing === name) return false;
    return !(existing === undefined && d.digest === manifest.digest);
  });
  if (name === undefined && index.manifests.some((d) => d.digest === manifest.digest)) return;
  index.manifests.push(namedDescriptor(manifest, name));
  const key = (d: Descriptor): string => nameOfDescriptor(d) ?? d.digest;
  index.manifests.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Every name of every manifest in the index. */
export function namesByDigest(index: ImageIndex): Map<Digest, string[]> {
  const out = new Map<Digest, string[]>();
  for (const d of index.manifests) {
    const names = out.get(d.digest) ?? [];
    const name = nameOfDescriptor(d);
    if (name !== undefined && !names.includes(name)) names.push(name);
    out.set(d.digest, names);
  }
  return out;
}
