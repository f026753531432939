import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';

export interface CgroupWorld {
  readonly manager: CgroupManager;
  /** `<hierarchy>/<parent>` of every hierarchy the manager uses: where the containers' cgroups go. */
  readonly parents: readonly string[];
  cleanup(): Promise<void>;
}

const ID_A = 'a'.repeat(64);
const ID_B = 'b'.repeat(64);

/**
 * What every CgroupManager that makes directories does, on temp dirs and on the real kernel alike. It
 * sets no limits, so it also runs on a hierarchy that offers no controllers (the unified one of a hybrid host).
 */
export function describeCgroupManager(name: string, makeWorld: () => Promise<CgroupWorld>): void {
  describe(`CgroupManager contract: ${name}`, () => {
    let world: CgroupWorld;
    beforeEach(async () => {
      world = await makeWorld();
    });
    afterEach(async () => {
      await world.manager.remove(ID_A);
      await world.manager.remove(ID_B);
      expect(world.parents.filter((p) => existsSync(p))).toEqual([]);
      await world.cleanup();
    });

    it('makes the cgroup in each hierarchy and returns those directories to join', async () => {
      const dirs = await world.manager.create(ID_A, {});
      expect(dirs.length).toBe(world.parents.length);
      for (const dir of dirs) {
        expect(existsSync(dir)).toBe(true);
        expect(basename(dir)).toBe(ID_A);
        expect(world.parents).toContain(dirname(dir));
      }
    });

    it('counts nothing in a fresh cgroup, and knows no cgroup once it is removed', async () => {
      const dirs = await world.manager.create(ID_A, {});
      expect(await world.manager.stats(ID_A)).toMatchObject({ pids: 0, oomKills: 0 });
      await world.manager.remove(ID_A);
      expect(dirs.filter((d) => existsSync(d))).toEqual([]);
      expect(world.parents.filter((p) => existsSync(p))).toEqual([]);
      expect(await world.manager.stats(ID_A)).toBeUndefined();
    });

    it('keeps the shared parent while another container still has a cgroup', async () => {
      await world.manager.create(ID_A, {});
      const other = await world.manager.create(ID_B, {});
      await world.manager.remove(ID_A);
      expect(world.parents.every((p) => existsSync(p))).toBe(true);
      expect(other.every((d) => existsSync(d))).toBe(true);
      await world.manager.remove(ID_B);
      expect(world.parents.filter((p) => existsSync(p))).toEqual([]);
    });

    it('makes a cgroup afresh when it is created again, and removing a missing one does nothing', async () => {
      const first = await world.manager.create(ID_A, {});
      const again = await world.manager.create(ID_A, {});
      expect(again).toEqual(first);
      expect(again.every((d) => existsSync(d))).toBe(true);
      await world.manager.remove(ID_B);
      await world.manager.remove(ID_A);
      await world.manager.remove(ID_A);
      expect(again.filter((d) => existsSync(d))).toEqual([]);
    });

    it('refuses bad limits before it makes anything', async () => {
      await expect(world.manager.create(ID_A, { memoryBytes: 1024 })).rejects.toMatchObject({ code: 'CONTAINER_START' });
      await expect(world.manager.create(ID_A, { memorySwapBytes: 1 << 30 })).rejects.toMatchObject({ code: 'CONTAINER_START' });
      expect(world.parents.filter((p) => existsSync(p))).toEqual([]);
    });
  });
}
