import type { Runtime } from '../runtime/runtime.js';
import type { ProgressSink } from './events.js';
import type { ImageProvider } from './image-provider.js';

/** Volumes as the orchestrator needs them: a host directory per named volume. */
export interface VolumeProvider {
  /** The volume's data directory (created on first use). */
  ensure(name: string, labels: Record<string, string>): Promise<string>;
  path(name: string): string;
  remove(name: string): Promise<void>;
}

export interface OrchestratorDeps {
  runtime: Runtime;
  images: ImageProvider;
  volumes: VolumeProvider;
  progress: ProgressSink;
}
