import { readdir, rm } from 'node:fs/promises';
import { TscError } from '../errors/index.js';
import { JsonRecord } from '../state/json-record.js';
import type { StatePaths } from '../state/paths.js';
import { isContainerId } from './container-id.js';
import { containerPaths, type ContainerPaths } from './container-paths.js';
import { validateRecord, type ContainerRecord } from './container-record.js';

/** The container records under `<dataRoot>/containers/`, one directory per container id. */
export class ContainerStore {
  constructor(private readonly paths: StatePaths) {}

  pathsOf(id: string): ContainerPaths {
    return containerPaths(this.paths, id);
  }

  async read(id: string): Promise<ContainerRecord | undefined> {
    return new JsonRecord(this.pathsOf(id).state, validateRecord).read();
  }

  async write(record: ContainerRecord): Promise<void> {
    await new JsonRecord(this.pathsOf(record.id).state, validateRecord).write(record);
  }

  /** Every container with a record, oldest first; a directory without one (a create cut short) is skipped. */
  async list(): Promise<ContainerRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.paths.containers);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records = await Promise.all(names.filter(isContainerId).map((id) => this.read(id)));
    return records
      .filter((r): r is ContainerRecord => r !== undefined)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  /** A container by full id, name or unique id prefix. */
  async find(ref: string): Promise<ContainerRecord> {
    if (isContainerId(ref)) {
      const record = await this.read(ref);
      if (record !== undefined) return record;
    }
    const all = await this.list();
    const named = all.find((r) => r.name === ref);
    if (named !== undefined) return named;
    const prefixed = /^[0-9a-f]+$/.test(ref) ? all.filter((r) => r.id.startsWith(ref)) : [];
    if (prefixed.length === 1 && prefixed[0] !== undefined) return prefixed[0];
    if (prefixed.length > 1) {
      throw new TscError('CONTAINER_NOT_FOUND', `container id prefix "${ref}" is ambiguous: it matches ${prefixed.length} containers`, {
        hint: 'give more digits of the id, or the container name',
      });
    }
    throw new TscError('CONTAINER_NOT_FOUND', `no such container: ${ref}`, { hint: 'list the containers with `tscompose ps --all`' });
  }

  /** Removes the container's directory: record, bundle, log and exit file. */
  async delete(id: string): Promise<void> {
    if (!isContainerId(id)) throw new TscError('INTERNAL', `refusing to delete container directory of bad id "${id}"`);
    await rm(this.pathsOf(id).dir, { recursive: true, force: true });
  }
}
