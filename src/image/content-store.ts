import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../errors/index.js';
import { FileLock } from '../state/lock.js';
import { identityOf, isAlive } from '../state/process-identity.js';
import { writeFileAtomic } from '../util/atomic-file.js';
import { BlobWriter, type StagedBlob } from './blob-writer.js';
import { digestHex, sha256Digest, type Digest } from './digest.js';
import { MediaType } from './media-types.js';
import { parseIndex, parseJson, type ImageIndex } from './oci-types.js';

export interface ContentStoreOptions {
  /** How long to wait for another process holding the index lock. Default 60 s. */
  lockTimeoutMs?: number;
}

const LAYOUT = `${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`;

/**
 * Blobs and names in an OCI image layout under `root` (`oci-layout`, `index.json`,
 * `blobs/sha256/<hex>`), so skopeo and umoci read it as it is. Blobs are written to `.ingest/`,
 * verified, fsynced and renamed into place; index.json changes happen under a lock file and are
 * written tmp + fsync + rename.
 */
export class ContentStore {
  private ready: Promise<void> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly root: string, private readonly options: ContentStoreOptions = {}) {}

  get indexPath(): string {
    return join(this.root, 'index.json');
  }

  blobPath(digest: Digest): string {
    return join(this.root, 'blobs', 'sha256', digestHex(digest));
  }

  /** Create the layout if missing and clear ingest directories of processes that died. */
  init(): Promise<void> {
    this.ready ??= this.create();
    return this.ready;
  }

  private async create(): Promise<void> {
    await mkdir(join(this.root, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(this.root, '.ingest'), { recursive: true });
    await createIfAbsent(join(this.root, 'oci-layout'), LAYOUT);
    const empty = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [] };
    await createIfAbsent(this.indexPath, `${JSON.stringify(empty, null, 2)}\n`);
    for (const name of await readdir(join(this.root, '.ingest'))) {
      const [pid, start] = name.split('-').map(Number);
      if (pid === undefined || start === undefined || !isAlive({ pid, startTime: start })) {
        await rm(join(this.root, '.ingest', name), { recursive: true, force: true });
      }
    }
  }

  async hasBlob(digest: Digest): Promise<boolean> {
    return stat(this.blobPath(digest)).then(() => true, () => false);
  }

  async readBlob(digest: Digest): Promise<Buffer> {
    try {
      return await readFile(this.blobPath(digest));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      throw new TscError('IMAGE_INVALID', `blob ${digest} is missing from the image store ${this.root}`, {
        hint: 'the store is incomplete; remove the image and load or pull it again',
      });
    }
  }

  async readJson(digest: Digest): Promise<unknown> {
    const data = await this.readBlob(digest);
    if (sha256Digest(data) !== digest) {
      throw new TscError('IMAGE_INVALID', `blob ${digest} in ${this.root} does not match its digest`, {
        hint: 'the store is corrupt; remove the image and load or pull it again',
      });
    }
    return parseJson(data, `blob ${digest}`);
  }

  /** A fresh private directory for temp blobs, named after this process so a crash leaves nothing that lasts. */
  async ingestDir(): Promise<string> {
    await this.init();
    const me = identityOf(process.pid);
    const dir = join(this.root, '.ingest', `${process.pid}-${me?.startTime ?? 0}-${randomBytes(4).toString('hex')}`);
    await mkdir(dir);
    return dir;
  }

  /** Write a small blob (manifest, config) and return its digest. */
  async writeBlob(data: Uint8Array): Promise<{ digest: Digest; size: number }> {
    const dir = await this.ingestDir();
    try {
      const writer = new BlobWriter(dir);
      writer.write(data);
      const staged = writer.finish();
      await this.adopt(staged);
      return { digest: staged.digest, size: staged.size };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** Move a verified temp blob into place (or drop it when the store already has it). */
  async adopt(staged: StagedBlob): Promise<void> {
    const target = this.blobPath(staged.digest);
    if (await this.hasBlob(staged.digest)) {
      await unlink(staged.path).catch(() => undefined);
      return;
    }
    await rename(staged.path, target);
  }

  async deleteBlob(digest: Digest): Promise<void> {
    await rm(this.blobPath(digest), { force: true });
  }

  async readIndex(): Promise<ImageIndex> {
    await this.init();
    return parseIndex(parseJson(await readFile(this.indexPath), this.indexPath), this.indexPath);
  }

  /**
   * Change index.json under the store's lock: `change` gets the current index and may edit it in
   * place (and adopt or delete blobs meanwhile); the result is written back atomically.
   */
  updateIndex<T>(change: (index: ImageIndex) => Promise<T> | T): Promise<T> {
    const run = this.queue.then(() => this.locked(change));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(change: (index: ImageIndex) => Promise<T> | T): Promise<T> {
    await this.init();
    const lock = FileLock.forCurrentProcess(join(this.root, '.lock'));
    await lock.acquire({ timeoutMs: this.options.lockTimeoutMs ?? 60_000 });
    try {
      const index = await this.readIndex();
      const before = JSON.stringify(index);
      const result = await change(index);
      if (JSON.stringify(index) !== before) {
        const out = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: index.manifests };
        await writeFileAtomic(this.indexPath, `${JSON.stringify(out, null, 2)}\n`);
      }
      return result;
    } finally {
      await lock.release();
    }
  }
}

/** Create a whole file only if there is none: written aside, then hard-linked into place. */
async function createIfAbsent(path: string, content: string): Promise<void> {
  if (await stat(path).then(() => true, () => false)) return;
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFileAtomic(tmp, content);
  try {
    await link(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(tmp);
  }
}
