import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { untilLogged } from '../../unit/runtime/runtime-conformance.js';
import { hostCgroups } from '../cgroups/host-cgroups.js';
import type { Kernel, LaunchResult } from '../../../src/kernel/kernel.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { StatePaths } from '../../../src/state/paths.js';
import { systemClock } from '../../../src/util/clock.js';
import { buildRootfs } from '../helpers/rootfs.js';
import { HELPER, PROBE, mountsUnder } from './harness.js';
import { nativesReady } from './runtime-world.js';

const CYCLES = Number(process.env.TSC_CYCLES ?? 200);
const host = hostCgroups();

/** Every file and directory under dir, relative to it. */
function tree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => relative(dir, join(dir, p))).sort();
}

afterAll(() => {
  expect(host.leftovers()).toEqual([]);
});

/** The real kernel (exec included), remembering each launch. */
function trackingKernel(inner: LinuxKernel): Kernel & { launched: LaunchResult[] } {
  const launched: LaunchResult[] = [];
  return {
    launched,
    launch: async (plan, options) => {
      const result = await inner.launch(plan, options);
      launched.push(result);
      return result;
    },
    processAlive: (ref) => inner.processAlive(ref),
    signal: (ref, signal) => inner.signal(ref, signal),
    readExit: (file) => inner.readExit(file),
    exec: (plan, io) => {
      if (inner.exec === undefined) throw new Error('this kernel cannot exec');
      return inner.exec(plan, io);
    },
  };
}

describe.skipIf(!nativesReady)(`${CYCLES} container cycles (cgroups: ${host.manager.kind})`, () => {
  let world: { dir: string; rootfs: string; paths: StatePaths; kernel: ReturnType<typeof trackingKernel>; runtime: Runtime; spec: (name: string, args: string[], o?: Partial<ContainerSpec>) => ContainerSpec };
  beforeEach(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsc-cycles-'));
    const rootfs = join(dir, 'rootfs');
    await buildRootfs(rootfs, { probePath: PROBE });
    const paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    const kernel = trackingKernel(new LinuxKernel({ helperPath: HELPER }));
    const runtime = new Runtime({ kernel, paths, clock: systemClock, cgroups: host.manager });
    const spec = (name: string, args: string[], o: Partial<ContainerSpec> = {}): ContainerSpec =>
      ({ name, labels: {}, image: { reference: 'local/probe:test' }, rootfs: { path: rootfs }, process: { args }, ...o });
    world = { dir, rootfs, paths, kernel, runtime, spec };
  });
  afterEach(async () => {
    // After a failure: what is left goes, so the next test (and the host) start clean.
    for (const c of await world.runtime.list()) await world.runtime.remove(c.id, { force: true });
    await rm(world.dir, { recursive: true, force: true });
  });

  it('create, start, exec, stop and remove leave no mounts, cgroups, processes or files behind', async () => {
    const rt = world.runtime;
    const runtimeBefore = tree(world.paths.roots.runtimeRoot);
    for (let i = 0; i < CYCLES; i++) {
      // Alternately with and without init; each ends on SIGTERM at once (init forwards it; the probe handles it).
      const withInit = i % 2 === 0;
      const args = withInit ? ['sleep', '60'] : ['probe', 'sleep', '60'];
      const info = await rt.create(world.spec(`cycle-${i}`, args, { init: withInit, log: { maxSizeBytes: 1024, maxFiles: 2 } }));
      await rt.start(info.id);
      // The probe answers SIGTERM once it said so; before that, as PID 1, it would ignore it.
      if (!withInit) await untilLogged(rt, info.id, 'sleeping 60');
      const exec = await rt.exec(info.id, { args: ['sh', '-c', 'echo exec-$$'] });
      expect(exec).toMatchObject({ exitCode: 0, signal: null, timedOut: false });
      expect(exec.stdout).toMatch(/^exec-\d+\n$/);
      const stopped = await rt.stop(info.id, { timeoutMs: 10_000 });
      expect(stopped.exit).toMatchObject({ exitCode: 143, signal: null });
      await rt.remove(info.id);
    }
    expect(await rt.list()).toEqual([]);
    expect(world.kernel.launched).toHaveLength(CYCLES);
    for (const launched of world.kernel.launched) {
      expect(await world.kernel.processAlive(launched.container)).toBe(false);
      expect(await world.kernel.processAlive(launched.monitor)).toBe(false);
    }
    expect(mountsUnder(world.dir)).toEqual([]);
    expect(host.leftovers()).toEqual([]);
    // Only the directories the runtime keeps for all containers are left, empty.
    expect(tree(world.paths.roots.dataRoot)).toEqual(['containers']);
    expect(tree(world.paths.roots.runtimeRoot).filter((p) => !runtimeBefore.includes(p))).toEqual(['locks']);
  }, 900_000);
});
