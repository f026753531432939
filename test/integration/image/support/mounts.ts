import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import type { Mount } from '../../../../src/snapshot/snapshotter.js';

export const isRoot = process.getuid?.() === 0;

/** Mount a snapshotter's mount at `target` with mount(8), from the mount's cwd when it has one. */
export async function mountAt(mount: Mount, target: string): Promise<void> {
  await execa('mount', ['-t', mount.type, mount.source, '-o', mount.options.join(','), target], {
    ...(mount.cwd === undefined ? {} : { cwd: mount.cwd }),
    timeout: 10_000,
  });
}

export async function unmount(target: string): Promise<void> {
  await execa('umount', [target], { timeout: 10_000 });
}

/** Mount points at or below `dir`, from this process's mount table. */
export async function mountsUnder(dir: string): Promise<string[]> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  return table.split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .map((point) => point.replace(/\\040/g, ' '))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

/** Mounts made by a test, undone in reverse order by `releaseAll`. */
export class MountTracker {
  private readonly targets: string[] = [];

  async mount(mount: Mount, target: string): Promise<void> {
    await mountAt(mount, target);
    this.targets.push(target);
  }

  async releaseAll(): Promise<void> {
    for (const target of this.targets.splice(0).reverse()) await unmount(target);
  }
}
