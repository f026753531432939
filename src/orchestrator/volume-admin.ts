import { randomBytes } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import type { Runtime } from '../runtime/runtime.js';
import type { VolumeRecord } from '../volume/local-volumes.js';
import type { VolumeProvider } from './orchestrator-deps.js';
import { VOLUME_LABEL } from './service-mounts.js';
import { isAnonymousVolumeName } from './prepare-mounts.js';

/** What the volume commands need. */
export interface VolumeAdminDeps {
  runtime: Runtime;
  volumes: VolumeProvider;
}

/** A volume as `volume inspect` shows it, in Docker's shape. */
export interface VolumeDetails {
  CreatedAt: string;
  Driver: string;
  Labels: Record<string, string>;
  Mountpoint: string;
  Name: string;
  Options: Record<string, string>;
  Scope: 'local';
}

const LOCAL_OPTIONS = new Set(['type', 'o', 'device']);

export function volumeDetails(volumes: VolumeProvider, record: VolumeRecord): VolumeDetails {
  return {
    CreatedAt: record.createdAt, Driver: record.driver ?? 'local', Labels: record.labels, Mountpoint: volumes.path(record.name),
    Name: record.name, Options: record.options ?? {}, Scope: 'local',
  };
}

/** Volume name → the containers (any state) whose mounts name it. */
export async function volumeUsers(runtime: Runtime): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const container of await runtime.list()) {
    for (const mount of container.spec.mounts ?? []) {
      if (mount.type !== 'volume') continue;
      out.set(mount.name, [...(out.get(mount.name) ?? []), container.name]);
    }
  }
  return out;
}

/** An anonymous volume: a random 64-hex name and no compose volume label. */
export function isAnonymous(record: VolumeRecord): boolean {
  return isAnonymousVolumeName(record.name) && record.labels[VOLUME_LABEL] === undefined;
}

/** `volume create`: the local driver only, with its `type`, `o` and `device` options. */
export async function createVolume(
  deps: VolumeAdminDeps, name: string | undefined, options: { driver?: string; labels?: Record<string, string>; opts?: Record<string, string> } = {},
): Promise<VolumeRecord> {
  if (options.driver !== undefined && options.driver !== 'local') {
    throw new TscError('UNSUPPORTED', `volume driver "${options.driver}" is not supported`, { hint: 'use the local driver (leave out --driver)' });
  }
  for (const key of Object.keys(options.opts ?? {})) {
    if (!LOCAL_OPTIONS.has(key)) throw new TscError('UNSUPPORTED', `invalid option key: "${key}"`, { hint: 'the local driver takes the options type, o and device' });
  }
  const made = await deps.volumes.ensureVolume(name ?? randomBytes(32).toString('hex'), options.labels ?? {}, { options: options.opts ?? {} });
  return made.record;
}

export async function inspectVolume(deps: VolumeAdminDeps, name: string): Promise<VolumeDetails> {
  const record = await deps.volumes.inspect(name);
  if (record === undefined) throw notFound(name);
  return volumeDetails(deps.volumes, record);
}

function notFound(name: string): TscError {
  return new TscError('VOLUME_NOT_FOUND', `no such volume: ${name}`, { hint: 'run `tscompose volume ls` to list the volumes' });
}

/**
 * `volume rm`: refuses a volume that a container (running or not) mounts, naming the container; with
 * `force`, a missing volume is no error. Volumes before the one that fails are removed.
 */
export async function removeVolumes(deps: VolumeAdminDeps, names: readonly string[], options: { force?: boolean } = {}): Promise<string[]> {
  const users = await volumeUsers(deps.runtime);
  const removed: string[] = [];
  for (const name of names) {
    if ((await deps.volumes.inspect(name)) === undefined) {
      if (options.force === true) continue;
      throw notFound(name);
    }
    const using = users.get(name);
    if (using !== undefined) {
      throw new TscError('VOLUME_IN_USE', `remove ${name}: volume is in use - [${using.join(', ')}]`, {
        hint: `remove the container${using.length > 1 ? 's' : ''} ${using.join(', ')} first (\`tscompose down\`), then the volume`,
      });
    }
    await deps.volumes.remove(name);
    removed.push(name);
  }
  return removed;
}

/** `volume prune`: unused anonymous volumes, or with `all` every unused volume; returns names and bytes freed. */
export async function pruneVolumes(deps: VolumeAdminDeps, options: { all?: boolean } = {}): Promise<{ removed: string[]; bytes: number }> {
  const users = await volumeUsers(deps.runtime);
  const removed: string[] = [];
  let bytes = 0;
  for (const record of await deps.volumes.list()) {
    if (users.has(record.name) || (options.all !== true && !isAnonymous(record))) continue;
    bytes += await diskUsage(deps.volumes.path(record.name));
    await deps.volumes.remove(record.name);
    removed.push(record.name);
  }
  return { removed, bytes };
}

async function diskUsage(path: string): Promise<number> {
  const stats = await lstat(path).catch(() => undefined);
  if (stats === undefined) return 0;
  if (!stats.isDirectory()) return stats.size;
  let total = 0;
  for (const name of await readdir(path)) total += await diskUsage(join(path, name));
  return total;
}
