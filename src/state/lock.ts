import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TscError } from '../errors/index.js';
import { identityOf, isAlive, type ProcessIdentity } from './process-identity.js';

export interface LockOptions {
  /** How long to wait for another holder, in ms. */
  timeoutMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * An exclusive lock file holding the owner's pid and start time. A lock whose owner is gone (the
 * process died, or its pid was reused) is stale and taken over, so a killed command never wedges
 * a project.
 */
export class FileLock {
  private held = false;

  constructor(private readonly path: string, private readonly owner: ProcessIdentity) {}

  static forCurrentProcess(path: string): FileLock {
    const owner = identityOf(process.pid);
    if (owner === undefined) throw new TscError('INTERNAL', 'cannot read this process start time from /proc');
    return new FileLock(path, owner);
  }

  /** Whether a live process holds the lock at `path`; a lock that is absent, unreadable or stale is not held. */
  static async isHeld(path: string): Promise<boolean> {
    const holder = await holderOf(path);
    return holder !== undefined && isAlive(holder);
  }

  async acquire(options: LockOptions): Promise<void> {
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    await mkdir(dirname(this.path), { recursive: true });
    let waited = 0;
    for (;;) {
      if (await this.tryCreate()) return;
      const holder = await this.readHolder();
      if (holder === undefined || !isAlive(holder)) {
        // Only the stale holder's file goes: another waiter may have taken the lock since it was read.
        const again = await this.readHolder();
        if (again?.pid === holder?.pid && again?.startTime === holder?.startTime) await unlink(this.path).catch(() => undefined);
        continue;
      }
      if (waited >= options.timeoutMs) {
        throw new TscError('LOCKED', `${this.path} is held by process ${holder.pid}`, {
          hint: 'another tscompose command is working on this project; wait for it to finish',
        });
      }
      const step = options.pollMs ?? 50;
      await sleep(step);
      waited += step;
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const holder = await this.readHolder();
    if (holder?.pid === this.owner.pid && holder.startTime === this.owner.startTime) await unlink(this.path).catch(() => undefined);
  }

  /**
   * Takes the lock if nobody holds it. The file appears with its owner already in it (written beside
   * it, then linked into place, which fails if the lock exists): a waiter never reads an empty lock
   * and mistakes it for a stale one.
   */
  private async tryCreate(): Promise<boolean> {
    const staging = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}`;
    await writeFile(staging, JSON.stringify(this.owner), { mode: 0o600 });
    try {
      await link(staging, this.path);
      this.held = true;
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    } finally {
      await unlink(staging).catch(() => undefined);
    }
  }

  private readHolder(): Promise<ProcessIdentity | undefined> {
    return holderOf(this.path);
  }
}

/** The owner a lock file names, or undefined when there is none or it is not a valid record. */
async function holderOf(path: string): Promise<ProcessIdentity | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as ProcessIdentity;
    return typeof value.pid === 'number' && typeof value.startTime === 'number' ? value : undefined;
  } catch {
    return undefined;
  }
}
