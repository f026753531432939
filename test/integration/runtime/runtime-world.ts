import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';
import type { Kernel, LaunchResult, ProcessRef } from '../../../src/kernel/kernel.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { StatePaths } from '../../../src/state/paths.js';
import { systemClock } from '../../../src/util/clock.js';
import type { RuntimeWorld } from '../../unit/runtime/runtime-conformance.js';
import { buildRootfs } from '../helpers/rootfs.js';
import { HELPER, PROBE, buildNative, isRoot, mountsUnder } from './harness.js';

/** Root, and the helper and probe built (a no-op when they are up to date). */
export const nativesReady: boolean = isRoot && (() => {
  try {
    buildNative();
  } catch {
    return false;
  }
  return existsSync(HELPER) && existsSync(PROBE);
})();

/** The real kernel, remembering every process it launched so a test can check none is left. */
class TrackingKernel implements Kernel {
  readonly launched: LaunchResult[] = [];
  constructor(private readonly inner: Kernel) {}
  async launch(...args: Parameters<Kernel['launch']>): Promise<LaunchResult> {
    const result = await this.inner.launch(...args);
    this.launched.push(result);
    return result;
  }
  processAlive(ref: ProcessRef): Promise<boolean> {
    return this.inner.processAlive(ref);
  }
  signal(ref: ProcessRef, signal: NodeJS.Signals): Promise<boolean> {
    return this.inner.signal(ref, signal);
  }
  readExit(exitFile: string): ReturnType<Kernel['readExit']> {
    return this.inner.readExit(exitFile);
  }
}

export interface LinuxWorld extends RuntimeWorld {
  readonly dir: string;
  readonly rootfs: string;
  readonly paths: StatePaths;
  readonly kernel: TrackingKernel;
}

/** A Runtime on the LinuxKernel in a temp dir with a busybox + probe rootfs; no cgroups unless given a manager. */
export async function linuxWorld(options: { readonly cgroups?: CgroupManager } = {}): Promise<LinuxWorld> {
  const dir = await mkdtemp(join(tmpdir(), 'tsc-lifecycle-'));
  const rootfs = join(dir, 'rootfs');
  await buildRootfs(rootfs, { probePath: PROBE });
  const paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
  const kernel = new TrackingKernel(new LinuxKernel({ helperPath: HELPER }));
  const runtime = new Runtime({ kernel, paths, clock: systemClock, ...(options.cgroups === undefined ? {} : { cgroups: options.cgroups }) });
  return {
    dir, rootfs, paths, kernel, runtime,
    spec: (name: string, args: string[], overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
      name, labels: {}, image: { reference: 'local/probe:test' }, rootfs: { path: rootfs }, process: { args }, ...overrides,
    }),
    async cleanup() {
      const refs = kernel.launched.flatMap((r) => [r.container, r.monitor]);
      const left: string[] = [];
      for (const ref of refs) {
        if (await kernel.processAlive(ref)) {
          left.push(`process ${ref.pid}`);
          await kernel.signal(ref, 'SIGKILL');
        }
      }
      left.push(...mountsUnder(dir).map((m) => `mount ${m}`));
      left.push(...(await readdir(paths.containers).catch(() => [])).map((d) => `container dir ${d}`));
      if (left.some((l) => l.startsWith('process'))) await new Promise((r) => setTimeout(r, 200));
      await rm(dir, { recursive: true, force: true });
      return left;
    },
  };
}
