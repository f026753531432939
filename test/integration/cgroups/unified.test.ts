import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CgroupV2Manager } from '../../../src/cgroups/cgroup-v2-manager.js';
import { parseCgroupMounts } from '../../../src/cgroups/detect.js';
import { describeCgroupManager } from '../../unit/cgroups/cgroup-conformance.js';
import { describeRuntimeLifecycle } from '../../unit/runtime/runtime-conformance.js';
import { linuxWorld, nativesReady } from '../runtime/runtime-world.js';

// The v2 manager on this host's unified hierarchy, whatever controllers it offers (on a hybrid host,
// none of the container ones): making, joining, killing and removing cgroups, without limits.
const unified = parseCgroupMounts(readFileSync('/proc/self/mountinfo', 'utf8')).v2;
const parent = `tscompose-test-${randomBytes(4).toString('hex')}`;
const manager = new CgroupV2Manager({ root: unified ?? '/nonexistent', parent });

afterAll(() => {
  expect(existsSync(join(unified ?? '/nonexistent', parent))).toBe(false);
});

describe.skipIf(!nativesReady || unified === undefined)('cgroup v2 on the unified hierarchy', () => {
  describeCgroupManager('CgroupV2Manager', async () => ({ manager, parents: [join(unified ?? '', parent)], cleanup: async () => undefined }));
  describeRuntimeLifecycle('LinuxKernel in unified cgroups', () => linuxWorld({ cgroups: manager }));

  it('puts the container in its cgroup, and kills what is left there when the cgroup is removed', async () => {
    const world = await linuxWorld({ cgroups: manager });
    try {
      const { id } = await world.runtime.create(world.spec('v2', ['probe', 'sleep', '30']));
      const started = await world.runtime.start('v2');
      const dir = join(unified ?? '', parent, id);
      expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8')).toBe(`${started.pid}\n`);
      await world.runtime.remove('v2', { force: true });
      expect(existsSync(dir)).toBe(false);

      const dirs = await manager.create('left', {});
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      await once(child, 'spawn');
      const exited = once(child, 'exit');
      writeFileSync(join(dirs[0] ?? '', 'cgroup.procs'), String(child.pid));
      await manager.remove('left');
      expect(await exited).toEqual([null, 'SIGKILL']);
      expect(existsSync(dirs[0] ?? '')).toBe(false);
    } finally {
      expect(await world.cleanup()).toEqual([]);
    }
  });
});
