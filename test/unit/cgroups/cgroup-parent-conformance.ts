import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';

export interface CgroupParentWorld {
  readonly manager: CgroupManager;
  /** The root of every hierarchy the manager uses (v1: each controller's mount; v2: the unified one). */
  readonly hierarchies: readonly string[];
  /** A parent other than the manager's own, which nothing else uses. */
  readonly other: string;
  cleanup(): Promise<void>;
}

const ID = 'f'.repeat(64);

/**
 * What every CgroupManager that makes directories does with a parent given to a call: a container's
 * cgroup recorded under another parent than the manager's own is made, read and removed there, and
 * the manager's own parent is neither made nor touched. On temp dirs and on the real kernel alike.
 */
export function describeCgroupParents(name: string, makeWorld: () => Promise<CgroupParentWorld>): void {
  describe(`CgroupManager contract, a parent per call: ${name}`, () => {
    let world: CgroupParentWorld;
    const under = (parent: string): string[] => world.hierarchies.map((h) => join(h, parent));
    const left = (): string[] => [...under(world.other), ...under(world.manager.parent ?? '')].filter((p) => existsSync(p));
    beforeEach(async () => {
      world = await makeWorld();
    });
    afterEach(async () => {
      await world.manager.remove(ID, world.other);
      await world.manager.remove(ID);
      expect(left()).toEqual([]);
      await world.cleanup();
    });

    it('makes, reads and removes the cgroup under the parent it is given, not its own', async () => {
      const dirs = await world.manager.create(ID, {}, world.other);
      expect([...dirs].sort()).toEqual(under(world.other).map((p) => join(p, ID)).sort());
      expect(dirs.every((d) => existsSync(d))).toBe(true);
      expect(under(world.manager.parent ?? '').filter((p) => existsSync(p))).toEqual([]);
      expect(await world.manager.stats(ID, world.other)).toMatchObject({ pids: 0, oomKills: 0 });
      expect(await world.manager.stats(ID)).toBeUndefined();

      await world.manager.remove(ID);
      expect(dirs.every((d) => existsSync(d))).toBe(true);
      await world.manager.remove(ID, world.other);
      expect(left()).toEqual([]);
      expect(await world.manager.stats(ID, world.other)).toBeUndefined();
    });

    it('keeps a container\'s cgroups under two parents apart', async () => {
      const own = await world.manager.create(ID, {});
      const other = await world.manager.create(ID, {}, world.other);
      expect(own.filter((d) => other.includes(d))).toEqual([]);
      await world.manager.remove(ID, world.other);
      expect(other.filter((d) => existsSync(d))).toEqual([]);
      expect(own.every((d) => existsSync(d))).toBe(true);
      await world.manager.remove(ID);
      expect(left()).toEqual([]);
    });
  });
}
