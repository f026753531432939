// A runtime world in the host's cgroups, made fresh for each test of a describe block; after each test
// nothing of it may be left, neither in the world nor in the host's cgroup trees.
import { afterEach, beforeEach, expect } from 'vitest';
import { linuxWorld, type LinuxWorld } from '../runtime/runtime-world.js';
import type { HostCgroups } from './host-cgroups.js';

/** Call inside a describe block; `use` gets each test's world before the test runs. */
export function cgroupWorldPerTest(host: HostCgroups, use: (world: LinuxWorld) => void): void {
  let world: LinuxWorld | undefined;
  beforeEach(async () => {
    world = await linuxWorld({ cgroups: host.manager });
    use(world);
  });
  afterEach(async () => {
    expect(await world?.cleanup()).toEqual([]);
    expect(host.leftovers()).toEqual([]);
  });
}
