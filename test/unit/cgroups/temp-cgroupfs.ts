import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CgroupHost } from '../../../src/cgroups/cgroup-manager.js';

const errno = (code: string, path: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: ${path}`), { code });

/**
 * Cgroup hierarchies as plain directories in a temp dir, with a host that acts as the kernel would
 * where plain files cannot: kill() takes the pid out of every cgroup.procs, and removeDir() refuses
 * a cgroup that holds tasks or child cgroups (EBUSY) and otherwise drops its control files with it.
 */
export class TempCgroupFs implements CgroupHost {
  readonly killed: number[] = [];
  /** The control files of each removed cgroup as they were when it went. */
  readonly removed = new Map<string, Record<string, string>>();

  private constructor(readonly root: string) {}

  static async create(): Promise<TempCgroupFs> {
    return new TempCgroupFs(await mkdtemp(join(tmpdir(), 'tsc-cgroupfs-')));
  }

  /** Writes a file under the root (made with its parents), e.g. the hierarchy's own control files. */
  put(path: string, text: string): void {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  /** Makes a directory under the root (with its parents), e.g. a hierarchy's mount point. */
  mkdir(path: string): string {
    const full = join(this.root, path);
    mkdirSync(full, { recursive: true });
    return full;
  }

  read(path: string): string | undefined {
    const full = join(this.root, path);
    return existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  /** The regular files in a directory with their text. */
  files(path: string): Record<string, string> {
    const dir = join(this.root, path);
    const names = readdirSync(dir).filter((n) => statSync(join(dir, n)).isFile()).sort();
    return Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  }

  kill(pid: number): void {
    this.killed.push(pid);
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else if (name === 'cgroup.procs') {
          const left = readFileSync(full, 'utf8').split('\n').filter((l) => l !== '' && Number(l) !== pid);
          writeFileSync(full, left.map((l) => `${l}\n`).join(''));
        }
      }
    };
    walk(this.root);
  }

  async removeDir(path: string): Promise<void> {
    if (!existsSync(path)) throw errno('ENOENT', path);
    const entries = readdirSync(path);
    const busy = entries.some((n) => statSync(join(path, n)).isDirectory()) ||
      (existsSync(join(path, 'cgroup.procs')) && readFileSync(join(path, 'cgroup.procs'), 'utf8').trim() !== '');
    if (busy) throw errno('EBUSY', path);
    this.removed.set(path, Object.fromEntries(entries.map((n) => [n, readFileSync(join(path, n), 'utf8')])));
    for (const n of entries) rmSync(join(path, n));
    rmdirSync(path);
  }

  async sleep(): Promise<void> {
    await new Promise((r) => setImmediate(r));
  }

  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}
