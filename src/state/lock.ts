import { mkdir, open, readFile, unlink } from 'node:fs/promises';
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
        await unlink(this.path).catch(() => undefined);
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

  private async tryCreate(): Promise<boolean> {
    try {
      const fh = await open(this.path, 'wx', 0o600);
      await fh.writeFile(JSON.stringify(this.owner));
      await fh.close();
      this.held = true;
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
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
