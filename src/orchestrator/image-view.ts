import type { ImageHealthcheck } from '../image/image-config.js';

/** What the orchestrator needs of an image's config (OCI image config, `config` section). */
export interface ImageView {
  /** The image as the service names it. */
  reference: string;
  /** Manifest digest, recorded on the container to detect a changed image. */
  digest: string;
  env: string[];
  entrypoint: string[] | null;
  cmd: string[] | null;
  workingDir: string;
  user: string;
  stopSignal?: string;
  labels: Record<string, string>;
  /** The image's VOLUME paths: each gets an anonymous volume unless the service mounts something there. */
  volumes?: string[];
  /** The image's HEALTHCHECK, used field by field where the service's healthcheck says nothing. */
  healthcheck?: ImageHealthcheck;
}
