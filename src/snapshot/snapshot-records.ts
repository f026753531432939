import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { TscError } from '../errors/index.js';
import { identityOf, isAlive } from '../state/process-identity.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import type { SnapshotInfo } from './snapshotter.js';

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const TEMP = '.tmp-';
const DOOMED = '.rm-';
const RECORD = 'snapshot.json';

/**
 * The snapshot directories of a snapshotter, `<dir>/<key>/` each with a `snapshot.json` record.
 * A snapshot is staged under `.tmp-<pid>-<start>-…` and renamed whole; removal renames it to
 * `.rm-…` first, so a crash never leaves a half snapshot that looks complete.
 */
export class SnapshotRecords {
  private cleaned: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  path(key: string): string {
    return join(this.dir, checkKey(key));
  }

  async read(key: string): Promise<SnapshotInfo | undefined> {
    let text: string;
    try {
      text = await readFile(join(this.path(key), RECORD), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    const value = JSON.parse(text) as Partial<SnapshotInfo>;
    if (value.key !== key || !Array.isArray(value.parents) || !value.parents.every((p) => typeof p === 'string')) {
      throw new TscError('STATE_CORRUPT', `snapshot record of \`${key}\` is not valid`, { hint: `remove ${this.path(key)}` });
    }
    return { key, parents: value.parents };
  }

  /**
   * Create the snapshot: `populate` fills a staging directory, which is then renamed into place.
   * Returns false (and leaves the existing one) when the key already exists with the same parents.
   */
  async create(key: string, parents: readonly string[], populate: (staging: string) => Promise<void>): Promise<boolean> {
    const existing = await this.read(key);
    if (existing !== undefined) return sameOrFail(existing, parents);
    await mkdir(this.dir, { recursive: true });
    this.cleaned ??= this.removeStale();
    await this.cleaned;
    const me = identityOf(process.pid);
    const staging = join(this.dir, `${TEMP}${process.pid}-${me?.startTime ?? 0}-${randomBytes(6).toString('hex')}`);
    await mkdir(staging, { mode: 0o711 });
    try {
      await populate(staging);
      await writeFileAtomic(join(staging, RECORD), `${JSON.stringify({ key, parents }, null, 2)}\n`, 0o600);
      await rename(staging, this.path(key));
      return true;
    } catch (err) {
      await rm(staging, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      const winner = await this.read(key);
      if (winner === undefined) throw err;
      return sameOrFail(winner, parents);
    }
  }

  async remove(key: string): Promise<void> {
    const doomed = join(this.dir, `${DOOMED}${key}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(this.path(key), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  async list(): Promise<SnapshotInfo[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out: SnapshotInfo[] = [];
    for (const name of names.sort()) {
      if (!KEY_RE.test(name)) continue;
      const info = await this.read(name);
      if (info !== undefined) out.push(info);
    }
    return out;
  }

  private async removeStale(): Promise<void> {
    for (const name of await readdir(this.dir)) {
      if (name.startsWith(TEMP)) {
        const [pid, start] = name.slice(TEMP.length).split('-').map(Number);
        if (pid !== undefined && start !== undefined && isAlive({ pid, startTime: start })) continue;
      } else if (!name.startsWith(DOOMED)) {
        continue;
      }
      await rm(join(this.dir, name), { recursive: true, force: true });
    }
  }
}

export function checkKey(key: string): string {
  if (!KEY_RE.test(key)) {
    throw new TscError('INTERNAL', `invalid snapshot key \`${key}\``, {
      hint: 'snapshot keys are 1-128 letters, digits, `_`, `.` or `-`, not starting with a punctuation mark',
    });
  }
  return key;
}

/** Parents must be absolute paths of existing directories. */
export async function checkParents(parents: readonly string[]): Promise<void> {
  for (const parent of parents) {
    const ok = isAbsolute(parent) && (await stat(parent).then((s) => s.isDirectory(), () => false));
    if (!ok) {
      throw new TscError('STATE_CORRUPT', `layer directory ${parent} does not exist`, {
        hint: 'the layer was removed while in use; load the image again',
      });
    }
  }
}

function sameOrFail(existing: SnapshotInfo, parents: readonly string[]): false {
  if (existing.parents.length === parents.length && existing.parents.every((p, i) => p === parents[i])) return false;
  throw new TscError('CONTAINER_BAD_STATE', `snapshot \`${existing.key}\` already exists over other layers`, {
    hint: 'remove the container that owns it first',
  });
}

export function unknownSnapshot(key: string): TscError {
  return new TscError('STATE_CORRUPT', `snapshot \`${key}\` does not exist`, {
    hint: 'the container lost its filesystem; remove it and create it again',
  });
}
