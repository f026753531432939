import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import type { FsOps } from '../kernel/fs-ops.js';
import { identityOf, isAlive } from '../state/process-identity.js';
import { digestHex, isDigest, type Digest } from './digest.js';
import { unpackLayer } from './unpack/unpack-layer.js';

/** One layer to unpack: its blob and the ids that name it. */
export interface LayerSource {
  digest: Digest;
  mediaType: string;
  diffId: Digest;
  chainId: Digest;
  blobPath: string;
}

/** Reported after each layer actually unpacked (never for one already there). */
export interface LayerUnpacked {
  chainId: Digest;
  diffId: Digest;
  dir: string;
  entries: number;
  bytes: number;
}

export interface LayerStoreOptions {
  fsOps: FsOps;
  /** Give files the owners the layer records (needs root). Default true. */
  ownership?: boolean;
  /** syncfs before a layer is renamed into place, so a power loss never leaves a half layer. Default true. */
  sync?: boolean;
  onUnpack?: (event: LayerUnpacked) => void;
}

const TEMP = '.tmp-';
const DOOMED = '.rm-';

/**
 * Unpacked layers under `root` (`<data-root>/layers`), one directory per chain id, each unpacked
 * once and shared read-only by every snapshot. A layer is unpacked into `.tmp-<pid>-<start>-…`
 * and renamed to `<chain-id-hex>` only when whole; temp directories of dead processes are removed
 * on the first unpack of a later run.
 */
export class LayerStore {
  private readonly inFlight = new Map<Digest, Promise<string>>();
  private cleaned: Promise<string[]> | undefined;
  /** Layers this store unpacked (not counting those found already there). */
  unpackCount = 0;

  constructor(readonly root: string, private readonly options: LayerStoreOptions) {}

  path(chainId: Digest): string {
    return join(this.root, digestHex(chainId));
  }

  async has(chainId: Digest): Promise<boolean> {
    return lstat(this.path(chainId)).then((s) => s.isDirectory(), () => false);
  }

  /** The directory of each layer, bottom first, unpacking those not there yet. */
  async ensureAll(layers: readonly LayerSource[]): Promise<string[]> {
    const dirs: string[] = [];
    for (const layer of layers) dirs.push(await this.ensure(layer));
    return dirs;
  }

  /** The layer's directory, unpacked now if it is not there yet (once, even when asked concurrently). */
  ensure(layer: LayerSource): Promise<string> {
    let pending = this.inFlight.get(layer.chainId);
    if (pending === undefined) {
      pending = this.unpack(layer).finally(() => this.inFlight.delete(layer.chainId));
      this.inFlight.set(layer.chainId, pending);
    }
    return pending;
  }

  /** Chain ids of the complete layers. */
  async list(): Promise<Digest[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    return names.map((n) => `sha256:${n}`).filter(isDigest);
  }

  async remove(chainId: Digest): Promise<void> {
    const doomed = join(this.root, `${DOOMED}${digestHex(chainId)}-${randomBytes(4).toString('hex')}`);
    try {
      await rename(this.path(chainId), doomed);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    await rm(doomed, { recursive: true, force: true });
  }

  /** Remove temp directories left by processes that died mid-unpack; returns their names. */
  cleanup(): Promise<string[]> {
    this.cleaned ??= this.removeStale();
    return this.cleaned;
  }

  private async removeStale(): Promise<string[]> {
    const removed: string[] = [];
    for (const name of await readdir(this.root).catch(() => [] as string[])) {
      if (name.startsWith(TEMP)) {
        const [pid, start] = name.slice(TEMP.length).split('-').map(Number);
        if (pid !== undefined && start !== undefined && isAlive({ pid, startTime: start })) continue;
      } else if (!name.startsWith(DOOMED)) {
        continue;
      }
      await rm(join(this.root, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  private async unpack(layer: LayerSource): Promise<string> {
    const dir = this.path(layer.chainId);
    if (await this.has(layer.chainId)) return dir;
    await mkdir(this.root, { recursive: true });
    await this.cleanup();
    const me = identityOf(process.pid);
    const tmp = join(this.root, `${TEMP}${process.pid}-${me?.startTime ?? 0}-${digestHex(layer.chainId).slice(0, 12)}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      await chmod(tmp, 0o755);
      const result = await unpackLayer(layer.blobPath, tmp, {
        fsOps: this.options.fsOps,
        ownership: this.options.ownership ?? true,
        expectedDiffId: layer.diffId,
        verifiedBlobDigest: layer.digest,
      });
      if (this.options.sync ?? true) this.options.fsOps.syncfs(tmp);
      if (!(await this.commit(tmp, dir))) return dir;
      this.unpackCount++;
      this.options.onUnpack?.({ chainId: layer.chainId, diffId: layer.diffId, dir, entries: result.entries, bytes: result.bytes });
      return dir;
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      const wrapped = err instanceof TscError ? err : new TscError('KERNEL', (err as Error).message, { cause: err, hint: 'check the disk holding the data root' });
      throw wrapped.wrap(`unpack layer ${layer.digest}`);
    }
  }

  /** Rename the whole layer into place; false when another process got there first. */
  private async commit(tmp: string, dir: string): Promise<boolean> {
    try {
      await rename(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      await rm(tmp, { recursive: true, force: true });
      return false;
    }
    const handle = await open(this.root, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  }
}
