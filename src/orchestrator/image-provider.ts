import type { RootfsPlan } from '../kernel/launch-plan.js';
import type { ImageView } from './image-view.js';

/** Images and root filesystems, as the orchestrator needs them; wired to the image store and snapshotter in api/. */
export interface ImageProvider {
  /** The image's config and digest; IMAGE_NOT_FOUND when it is not in the store. */
  image(reference: string): Promise<ImageView>;
  /** A fresh root filesystem for a new container, named by `key`. */
  prepareRootfs(key: string, reference: string): Promise<Omit<RootfsPlan, 'readonly'>>;
  /** Drops what prepareRootfs made for `key`; nothing when there is nothing. */
  releaseRootfs(key: string): Promise<void>;
}
