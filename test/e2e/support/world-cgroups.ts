import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseCgroupMounts } from '../../../src/cgroups/detect.js';

/**
 * The cgroup parent of one test world (`TSCOMPOSE_CGROUP_PARENT`), under every cgroup hierarchy
 * this host mounts: each v1 controller's (the hybrid layout too) and the unified one. Containers of
 * the world get `<hierarchy>/<name>/<id>`, so what is left below `<name>` after `down` is a leak.
 */
export class WorldCgroups {
  /** `<hierarchy>/<name>` in each hierarchy, each once. */
  readonly parents: readonly string[];

  constructor(readonly name: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')) {
    const mounts = parseCgroupMounts(mountinfo);
    const hierarchies = new Set([...Object.values(mounts.v1), ...(mounts.v2 === undefined ? [] : [mounts.v2])]);
    this.parents = [...hierarchies].map((h) => join(h, name));
  }

  /** Child cgroups still under the parent in any hierarchy, with the pids still in each. */
  leftovers(): string[] {
    return this.parents.filter((p) => existsSync(p)).flatMap((parent) => children(parent).map((dir) => {
      const pids = readPids(dir);
      return pids.length === 0 ? `cgroup ${dir}` : `cgroup ${dir} (pids ${pids.join(' ')})`;
    }));
  }

  /** The cgroups below this parent that process `pid` is in (paths as `/proc/<pid>/cgroup` gives them, e.g. `/<name>/<id>`), each once. */
  cgroupsOf(pid: number): string[] {
    const paths = readFileSync(`/proc/${pid}/cgroup`, 'utf8').split('\n').map((l) => l.split(':').slice(2).join(':'));
    return [...new Set(paths.filter((p) => p.startsWith(`/${this.name}/`)))];
  }

  /** The pids in the cgroups below this parent (the world's own containers), each once. */
  pids(): number[] {
    return [...new Set(this.parents.filter((p) => existsSync(p)).flatMap((parent) => children(parent).flatMap(readPids)))];
  }

  /**
   * Removes the parent in every hierarchy, child cgroups left by a leak the check reported first;
   * the caller has ended their tasks (a cgroup that still holds one stays, and so does its parent).
   */
  remove(): void {
    for (const parent of this.parents.filter((p) => existsSync(p))) {
      for (const dir of children(parent)) tryRmdir(dir);
      tryRmdir(parent);
    }
  }
}

function children(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name));
  } catch {
    // Removed while we looked: nothing below it.
    return [];
  }
}

function readPids(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number);
  } catch {
    return [];
  }
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Busy (tasks or children left) or gone: leftovers() has said what stays.
  }
}
