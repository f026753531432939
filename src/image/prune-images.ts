import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Digest } from './digest.js';
import { pruneLayers, type PruneLayersDeps } from './prune-layers.js';

export interface PruneImagesOptions {
  /** Manifest digests or image ids that containers use. */
  inUse: Iterable<string>;
}

export interface PruneResult {
  /** Manifest digests of the nameless images removed. */
  images: Digest[];
  /** Chain ids of the unpacked layers removed. */
  layers: Digest[];
  /** Disk space the removed blobs and layer directories occupied. */
  bytes: number;
}

/** Bytes a file or directory tree occupies on disk, each inode counted once. */
export async function diskUsage(path: string, seen = new Set<number>()): Promise<number> {
  const stat = await lstat(path).catch(() => undefined);
  if (stat === undefined || seen.has(stat.ino)) return 0;
  if (stat.nlink > 1 && !stat.isDirectory()) seen.add(stat.ino);
  let total = stat.blocks * 512;
  if (stat.isDirectory()) for (const name of await readdir(path)) total += await diskUsage(join(path, name), seen);
  return total;
}

/**
 * Remove the images that have no name and that no container uses (what `image rm -f` leaves of an
 * image in use, or an archive loaded without names), then the unpacked layers that no image and
 * no snapshot refers to.
 */
export async function pruneImages(deps: PruneLayersDeps, options: PruneImagesOptions): Promise<PruneResult> {
  const { images: store } = deps;
  const inUse = new Set(options.inUse);
  const result: PruneResult = { images: [], layers: [], bytes: 0 };
  for (const image of await store.list()) {
    if (image.names.length > 0 || inUse.has(image.digest) || inUse.has(image.id)) continue;
    const details = await store.inspect(image.digest);
    const blobs = [details.digest, details.id, ...details.layers.map((l) => l.digest)];
    const sizes = new Map<Digest, number>();
    for (const blob of blobs) sizes.set(blob, await diskUsage(store.content.blobPath(blob)));
    const removed = await store.remove(image.digest, { inUse });
    for (const blob of removed.deleted) result.bytes += sizes.get(blob) ?? 0;
    result.images.push(image.digest);
  }
  result.layers = await pruneLayers({
    ...deps,
    onRemove: async (chainId, dir) => {
      result.bytes += await diskUsage(dir);
      await deps.onRemove?.(chainId, dir);
    },
  });
  return result;
}
