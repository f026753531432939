import { TscError } from '../errors/index.js';
import type { ContentStore } from './content-store.js';
import type { Digest } from './digest.js';
import { nameOfDescriptor } from './image-names.js';
import { parseManifest, type ImageIndex } from './oci-types.js';

export interface RemoveOptions {
  /** Remove even when a container uses the image (it stays, nameless, until no container does). */
  force?: boolean;
  /** Manifest digests or image ids that containers use. */
  inUse?: Iterable<string>;
}

export interface RemovedImage {
  /** Names taken off. */
  untagged: string[];
  /** Blobs deleted (manifest, config, layers no other image uses). */
  deleted: Digest[];
}

async function blobsOf(content: ContentStore, digest: Digest): Promise<Digest[]> {
  const manifest = parseManifest(await content.readJson(digest), `manifest ${digest}`);
  return [digest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)];
}

/**
 * Take names off an image: the one it was asked for by, or all of them when asked by digest or id.
 * When no name is left the image goes, with every blob no remaining image refers to, unless a
 * container uses it: then IMAGE_IN_USE, or with `force` it stays as a nameless image.
 */
export async function removeImage(
  content: ContentStore,
  target: { digest: Digest; names: string[]; byName?: string },
  options: RemoveOptions,
): Promise<RemovedImage> {
  const untag = target.byName !== undefined ? [target.byName] : target.names;
  const blobs = await blobsOf(content, target.digest);
  const used = new Set(options.inUse ?? []);
  const inUse = used.has(target.digest) || used.has(blobs[1] as string);
  return content.updateIndex(async (index: ImageIndex): Promise<RemovedImage> => {
    const descriptor = index.manifests.find((d) => d.digest === target.digest);
    const left = index.manifests.filter((d) => d.digest === target.digest && !untag.includes(nameOfDescriptor(d) ?? ''));
    const lastName = left.every((d) => nameOfDescriptor(d) === undefined);
    if (lastName && inUse && options.force !== true) {
      throw new TscError('IMAGE_IN_USE', `image \`${untag[0] ?? target.digest}\` is used by a container`, {
        hint: 'remove the containers that use it first, or force the removal (the image then stays until they are gone)',
      });
    }
    index.manifests = index.manifests.filter((d) => {
      const name = nameOfDescriptor(d);
      return d.digest !== target.digest || (name !== undefined && !untag.includes(name));
    });
    if (lastName && inUse && descriptor !== undefined) {
      index.manifests.push({ mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size });
      return { untagged: untag, deleted: [] };
    }
    if (!lastName) return { untagged: untag, deleted: [] };
    const keep = new Set<Digest>();
    for (const other of new Set(index.manifests.map((d) => d.digest))) for (const blob of await blobsOf(content, other)) keep.add(blob);
    const deleted: Digest[] = [];
    for (const blob of new Set(blobs)) {
      if (keep.has(blob)) continue;
      await content.deleteBlob(blob);
      deleted.push(blob);
    }
    return { untagged: untag, deleted };
  });
}
