import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { JsonRecord } from '../state/json-record.js';
import { validateNetworkRecord, type NetworkRecord } from './network-record.js';

/** The network records of one data root: `<dir>/<id>.json`. */
export class NetworkStore {
  constructor(readonly dir: string) {}

  private record(id: string): JsonRecord<NetworkRecord> {
    return new JsonRecord(join(this.dir, `${id}.json`), validateNetworkRecord);
  }

  async list(): Promise<NetworkRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const records = await Promise.all(names.filter((n) => /^[0-9a-f]{64}\.json$/.test(n)).map((n) => this.record(n.slice(0, -5)).read()));
    return records.filter((r): r is NetworkRecord => r !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** By full name, full id or unique id prefix; undefined when there is none. */
  async find(ref: string): Promise<NetworkRecord | undefined> {
    const all = await this.list();
    const exact = all.find((r) => r.name === ref || r.id === ref);
    if (exact !== undefined) return exact;
    const prefixed = ref.length >= 3 ? all.filter((r) => r.id.startsWith(ref)) : [];
    if (prefixed.length > 1) {
      throw new TscError('NETWORK_NOT_FOUND', `network id prefix ${ref} is ambiguous`, { hint: 'give more digits of the id, or the name' });
    }
    return prefixed[0];
  }

  async get(ref: string): Promise<NetworkRecord> {
    const found = await this.find(ref);
    if (found === undefined) {
      throw new TscError('NETWORK_NOT_FOUND', `network ${ref} not found`, { hint: 'run `tscompose network ls` to list the networks' });
    }
    return found;
  }

  write(record: NetworkRecord): Promise<void> {
    return this.record(record.id).write(record);
  }

  async delete(id: string): Promise<void> {
    await unlink(join(this.dir, `${id}.json`)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}
