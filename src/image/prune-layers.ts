import { dirname, basename, resolve } from 'node:path';
import type { Snapshotter } from '../snapshot/snapshotter.js';
import type { Digest } from './digest.js';
import type { ImageStore } from './image-store.js';
import type { LayerStore } from './layer-store.js';

export interface PruneLayersDeps {
  images: ImageStore;
  layers: LayerStore;
  snapshots: Snapshotter;
  /** Called with each layer about to be removed (to measure what it frees, for example). */
  onRemove?: (chainId: Digest, dir: string) => Promise<void> | void;
}

/**
 * Delete unpacked layers that no image in the store and no snapshot refers to. A layer used by a
 * snapshot stays even after its image was removed; it goes on the first prune after the snapshot.
 * Returns the chain ids removed.
 */
export async function pruneLayers({ images, layers, snapshots, onRemove }: PruneLayersDeps): Promise<Digest[]> {
  const keep = new Set<string>();
  for (const image of await images.list()) {
    for (const layer of (await images.inspect(image.digest)).layers) keep.add(layer.chainId);
  }
  const root = resolve(layers.root);
  for (const snapshot of await snapshots.list()) {
    for (const parent of snapshot.parents) {
      if (dirname(resolve(parent)) === root) keep.add(`sha256:${basename(parent)}`);
    }
  }
  const removed: Digest[] = [];
  for (const chainId of await layers.list()) {
    if (keep.has(chainId)) continue;
    await onRemove?.(chainId, layers.path(chainId));
    await layers.remove(chainId);
    removed.push(chainId);
  }
  return removed;
}
