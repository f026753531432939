import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';
import { V1_CONTROLLERS } from '../../../src/cgroups/cgroup-v1-manager.js';
import { detectCgroupManager, parseCgroupMounts } from '../../../src/cgroups/detect.js';

/** This host's cgroups under a parent of the test's own (`tscompose-test-<random>`), so nothing else is touched. */
export interface HostCgroups {
  readonly manager: CgroupManager;
  readonly parent: string;
  /** `<hierarchy>/<parent>` of each hierarchy the manager uses. */
  readonly parents: readonly string[];
  /** The directory of a container's cgroup in the hierarchy that holds `controller` (v2: the one directory). */
  dirOf(controller: 'memory' | 'cpu' | 'pids' | 'freezer', name: string): string;
  /** `<hierarchy>/<parent>` directories and their children still there. */
  leftovers(): string[];
}

export function hostCgroups(): HostCgroups {
  const parent = `tscompose-test-${randomBytes(4).toString('hex')}`;
  const manager = detectCgroupManager({ parent });
  const mounts = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8'));
  const hierarchy = (c: (typeof V1_CONTROLLERS)[number]): string => (manager.kind === 'v1' ? mounts.v1[c] : mounts.v2) ?? '/nonexistent';
  const parents = manager.kind === 'none' ? [] : [...new Set(V1_CONTROLLERS.map(hierarchy))].filter((h) => h !== '/nonexistent').map((h) => join(h, parent));
  return {
    manager, parent, parents,
    dirOf: (controller, name) => join(hierarchy(controller), parent, name),
    leftovers: () => parents.filter((p) => existsSync(p)).flatMap((p) => [p, ...readdirSync(p, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(p, e.name))]),
  };
}
