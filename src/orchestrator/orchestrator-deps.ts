import type { Runtime } from '../runtime/runtime.js';
import type { VolumeRecord } from '../volume/local-volumes.js';
import type { ProgressSink } from './events.js';
import type { EventsLog } from './events-log.js';
import type { SupervisorControl } from './supervisor-config.js';
import type { ImageProvider } from './image-provider.js';
import type { NetworkProvider } from './network-provider.js';

/** Volumes as the orchestrator needs them: a host directory per named volume. */
export interface VolumeProvider {
  path(name: string): string;
  remove(name: string): Promise<void>;
  /** The volume, made with these labels and local-driver options when it does not exist yet. */
  ensureVolume(name: string, labels: Record<string, string>, options?: { options?: Record<string, string> }): Promise<{ path: string; created: boolean; record: VolumeRecord }>;
  /** The volume's record; undefined when there is no such volume. */
  inspect(name: string): Promise<VolumeRecord | undefined>;
  list(): Promise<VolumeRecord[]>;
  /** Fills an empty volume directory with what the image's layers (top first) hold at `path`. */
  fill(dest: string, layers: readonly string[], path: string): Promise<void>;
}

/** Files written for one container (secrets, configs), bind-mounted into it and dropped with it. */
export interface ContainerFilesProvider {
  write(container: string, path: string, content: Uint8Array | string, owner: { uid: number; gid: number; mode: number }): Promise<string>;
  release(container: string): Promise<void>;
}

export interface OrchestratorDeps {
  runtime: Runtime;
  images: ImageProvider;
  volumes: VolumeProvider;
  /** Where secrets and configs are written; needed only by services that have some. */
  files?: ContainerFilesProvider;
  /** Bridge networks; without them containers get a namespace with only `lo` (or the host's). */
  networks?: NetworkProvider;
  progress: ProgressSink;
  /** The project's supervisor (healthchecks, restart policies); without it nothing runs after `up` returns. */
  supervisor?: SupervisorControl;
  /** The project's event log (`tscompose events`); without it nothing is recorded. */
  events?: EventsLog;
}
