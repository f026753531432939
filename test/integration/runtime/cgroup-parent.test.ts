// A container's cgroup lives under the parent recorded when it was created: a runtime whose own parent
// differs (another TSCOMPOSE_CGROUP_PARENT) still reaches it, and removes it without leaking or making any.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/runtime.js';
import { systemClock } from '../../../src/util/clock.js';
import { describeCgroupParents } from '../../unit/cgroups/cgroup-parent-conformance.js';
import { untilLogged } from '../../unit/runtime/runtime-conformance.js';
import { hostCgroups } from '../cgroups/host-cgroups.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

const a = hostCgroups();
const b = hostCgroups();
const ready = nativesReady && a.manager.kind !== 'none';

/** The pids listed in the `cgroup.procs` of a container's pids cgroup under one host parent. */
const procsOf = (host: typeof a, id: string): number[] =>
  readFileSync(join(host.dirOf('pids', id), 'cgroup.procs'), 'utf8').split('\n').filter((l) => l !== '').map(Number);

afterAll(() => {
  expect([...a.leftovers(), ...b.leftovers()]).toEqual([]);
});

describe.skipIf(!ready)(`the recorded cgroup parent on this host (${a.manager.kind})`, () => {
  describeCgroupParents('the detected manager', async () => ({
    manager: a.manager, hierarchies: a.parents.map((p) => dirname(p)), other: b.parent, cleanup: async () => undefined,
  }));

  describe('a runtime with another parent', () => {
    let world: LinuxWorld;
    let other: Runtime;
    const ids: string[] = [];
    beforeEach(async () => {
      world = await linuxWorld({ cgroups: a.manager });
      other = new Runtime({ kernel: world.kernel, paths: world.paths, clock: systemClock, cgroups: b.manager });
    });
    afterEach(async () => {
      const left = [...a.leftovers(), ...b.leftovers()];
      for (const id of ids.splice(0)) {
        await a.manager.remove(id);
        await b.manager.remove(id);
      }
      expect(await world.cleanup()).toEqual([]);
      expect(left).toEqual([]);
    });

    it('removes a running container created and started under parent A, leaving nothing under A or B', async () => {
      const info = await world.runtime.create(world.spec('pinned', ['probe', 'sleep', '60']));
      ids.push(info.id);
      const started = await world.runtime.start(info.id);
      await untilLogged(world.runtime, info.id, 'sleeping 60');
      expect(procsOf(a, info.id)).toContain(started.pid);
      expect(b.leftovers()).toEqual([]);

      expect((await other.stats(info.id))?.pids).toBeGreaterThanOrEqual(1);
      await other.remove(info.id, { force: true });

      expect(a.leftovers()).toEqual([]);
      expect(b.leftovers()).toEqual([]);
      const containers = world.kernel.launched.map((l) => l.container);
      expect(await Promise.all(containers.map((ref) => world.kernel.processAlive(ref)))).toEqual([false]);
    });

    it('pauses, unpauses, stops and starts again under parent A, then removes it', async () => {
      const info = await world.runtime.create(world.spec('moved', ['probe', 'sleep', '60']));
      ids.push(info.id);
      await world.runtime.start(info.id);
      await untilLogged(world.runtime, info.id, 'sleeping 60');

      expect((await other.pause(info.id)).status).toBe('paused');
      expect((await other.unpause(info.id)).status).toBe('running');
      expect((await other.stop(info.id, { timeoutMs: 10_000 })).status).toBe('exited');
      const again = await other.start(info.id);
      expect(procsOf(a, info.id)).toContain(again.pid);
      expect(b.leftovers()).toEqual([]);
      await other.stop(info.id, { timeoutMs: 10_000 });
      await other.remove(info.id);

      expect(a.leftovers()).toEqual([]);
      expect(b.leftovers()).toEqual([]);
    });
  });
});
