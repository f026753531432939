import type { ExitStatus } from '../kernel/kernel.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import type { ContainerSpec } from './container-spec.js';
import type { ContainerStatus } from './container-state.js';
import { isActive } from './container-state.js';

/** What list() and inspect() tell about a container: its record as observed now. */
export interface ContainerInfo {
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly image: ContainerSpec['image'];
  readonly status: ContainerStatus;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The host pid of its first process while it runs. */
  readonly pid?: number;
  readonly exit?: ExitStatus;
  /** The kernel's OOM killer ended the last run (Docker's State.OOMKilled). */
  readonly oomKilled: boolean;
  readonly restartCount: number;
  readonly error?: string;
  /** The spec's stdin ('none' for records written before it existed). */
  readonly stdin: 'none' | 'open' | 'once';
  /** Whether it has a terminal (false for records written before it existed). */
  readonly tty: boolean;
  readonly spec: ContainerSpec;
  readonly paths: ContainerPaths;
}

export function toInfo(record: ContainerRecord, paths: ContainerPaths): ContainerInfo {
  return {
    id: record.id,
    name: record.name,
    labels: record.labels,
    image: record.spec.image,
    status: record.status,
    createdAt: record.createdAt,
    ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
    ...(record.finishedAt === undefined ? {} : { finishedAt: record.finishedAt }),
    ...(isActive(record.status) && record.container !== undefined ? { pid: record.container.pid } : {}),
    ...(record.exit === undefined ? {} : { exit: record.exit }),
    oomKilled: record.exit?.oomKilled === true,
    restartCount: record.restartCount,
    ...(record.error === undefined ? {} : { error: record.error }),
    stdin: record.spec.stdin ?? 'none',
    tty: record.spec.tty === true,
    spec: record.spec,
    paths,
  };
}
