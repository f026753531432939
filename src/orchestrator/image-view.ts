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
}
