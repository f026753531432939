import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import type { FsOps } from '../kernel/fs-ops.js';
import { JsonRecord } from '../state/json-record.js';
import { CopyUp } from './copy-up.js';

export interface VolumeRecord {
  name: string;
  /** Always `local`: the one driver there is. */
  driver?: string;
  labels: Record<string, string>;
  /** The local driver's options (`type`, `o`, `device`), as `driver_opts` gives them. */
  options?: Record<string, string>;
  createdAt: string;
}

/** What {@link LocalVolumes.ensureVolume} found or made. */
export interface EnsuredVolume {
  path: string;
  record: VolumeRecord;
  /** The volume did not exist before this call. */
  created: boolean;
}

export interface VolumeOptions {
  /** `driver_opts` of the local driver. */
  options?: Record<string, string>;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const isStrMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((s) => typeof s === 'string');

function validate(value: unknown): VolumeRecord {
  const v = value as Partial<VolumeRecord>;
  if (typeof v.name !== 'string' || typeof v.createdAt !== 'string' || !isStrMap(v.labels)) {
    throw new Error('expected {name, labels, createdAt}');
  }
  if (v.options !== undefined && !isStrMap(v.options)) throw new Error('field `options` is not a map of strings');
  if (v.driver !== undefined && typeof v.driver !== 'string') throw new Error('field `driver` is not a string');
  return v as VolumeRecord;
}

/** Refuses a name that could leave the volumes root or that Docker would refuse. */
export function checkVolumeName(name: string): void {
  if (!NAME.test(name)) {
    throw new TscError('COMPOSE_INVALID', `invalid volume name "${name}"`, { hint: 'volume names use letters, digits, _, . and -, and start with a letter or digit' });
  }
}

/**
 * Named volumes of the local driver: `<root>/<name>/_data` holds the data (the layout Docker uses),
 * `<root>/<name>/volume.json` the record. A volume outlives containers until removed.
 */
export class LocalVolumes {
  /** `fsOps` copies image content into new volumes ({@link fill}); without it they stay empty. */
  private readonly filling = new Map<string, Promise<void>>();

  constructor(private readonly root: string, private readonly now: () => Date, private readonly fsOps?: FsOps) {}

  path(name: string): string {
    return join(this.root, name, '_data');
  }

  private record(name: string): JsonRecord<VolumeRecord> {
    return new JsonRecord(join(this.root, name, 'volume.json'), validate);
  }

  /** The volume, made with these labels and options when it does not exist yet (an existing one is kept as it is). */
  async ensureVolume(name: string, labels: Record<string, string>, options: VolumeOptions = {}): Promise<EnsuredVolume> {
    checkVolumeName(name);
    const existing = await this.record(name).read();
    if (existing !== undefined) return { path: this.path(name), record: existing, created: false };
    await mkdir(this.path(name), { recursive: true, mode: 0o755 });
    const record: VolumeRecord = {
      name, driver: 'local', labels, createdAt: this.now().toISOString(),
      ...(options.options === undefined || Object.keys(options.options).length === 0 ? {} : { options: options.options }),
    };
    await this.record(name).write(record);
    return { path: this.path(name), record, created: true };
  }

  /** The volume's record, or undefined when there is no such volume. */
  async inspect(name: string): Promise<VolumeRecord | undefined> {
    if (!NAME.test(name)) return undefined;
    return this.record(name).read();
  }

  async list(): Promise<VolumeRecord[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const records = await Promise.all(names.map((n) => (NAME.test(n) ? this.record(n).read().catch(() => undefined) : undefined)));
    return records.filter((r): r is VolumeRecord => r !== undefined).sort((a, b) => a.name.localeCompare(b.name));
  }

  /**
   * Copies the image's content at `path` into `dest` when `dest` is empty (never over data already
   * there). Fills of one directory run one after the other, so replicas created together copy once.
   */
  async fill(dest: string, layers: readonly string[], path: string): Promise<void> {
    const fsOps = this.fsOps;
    if (fsOps === undefined) return;
    const previous = this.filling.get(dest) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(async () => {
      if ((await readdir(dest)).length === 0) await new CopyUp(fsOps).copy(layers, path, dest);
    });
    this.filling.set(dest, mine);
    try {
      await mine;
    } finally {
      if (this.filling.get(dest) === mine) this.filling.delete(dest);
    }
  }

  async remove(name: string): Promise<void> {
    if (!NAME.test(name)) return;
    await rm(join(this.root, name), { recursive: true, force: true });
  }
}
