import { mkdir, rm, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { JsonRecord } from '../state/json-record.js';

export interface VolumeRecord {
  name: string;
  labels: Record<string, string>;
  createdAt: string;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

function validate(value: unknown): VolumeRecord {
  const v = value as Partial<VolumeRecord>;
  if (typeof v.name !== 'string' || typeof v.createdAt !== 'string' || typeof v.labels !== 'object' || v.labels === null) {
    throw new Error('expected {name, labels, createdAt}');
  }
  return v as VolumeRecord;
}

/**
 * Named volumes of the local driver: `<root>/<name>/_data` holds the data (the layout Docker uses),
 * `<root>/<name>/volume.json` the record. A volume outlives containers until removed.
 */
export class LocalVolumes {
  constructor(private readonly root: string, private readonly now: () => Date) {}

  path(name: string): string {
    return join(this.root, name, '_data');
  }

  async ensure(name: string, labels: Record<string, string>): Promise<string> {
    if (!NAME.test(name)) {
      throw new TscError('COMPOSE_INVALID', `invalid volume name "${name}"`, { hint: 'volume names use letters, digits, _, . and -, and start with a letter or digit' });
    }
    const record = new JsonRecord(join(this.root, name, 'volume.json'), validate);
    if ((await record.read()) === undefined) {
      await mkdir(this.path(name), { recursive: true, mode: 0o755 });
      await record.write({ name, labels, createdAt: this.now().toISOString() });
    }
    return this.path(name);
  }

  async list(): Promise<VolumeRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const records = await Promise.all(names.map((n) => new JsonRecord(join(this.root, n, 'volume.json'), validate).read().catch(() => undefined)));
    return records.filter((r): r is VolumeRecord => r !== undefined);
  }

  async remove(name: string): Promise<void> {
    if (!NAME.test(name)) return;
    await rm(join(this.root, name), { recursive: true, force: true });
  }
}
