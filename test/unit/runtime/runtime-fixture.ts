import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CgroupManager } from '../../../src/cgroups/cgroup-manager.js';
import { CAPABILITIES } from '../../../src/kernel/launch-plan.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import type { HostFacts } from '../../../src/runtime/host-facts.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { sleepingTickers } from '../../../src/runtime/ticker.js';
import { StatePaths } from '../../../src/state/paths.js';
import { FakeClock, FakeKernel } from './fake-kernel.js';

/** A host like this machine's: every capability but CAP_SYS_RESOURCE, 20000 open files at most. */
export const HOST: HostFacts = {
  capabilities: CAPABILITIES.filter((c) => c !== 'CAP_SYS_RESOURCE'),
  rlimits: { RLIMIT_NOFILE: { soft: 1024, hard: 20_000 }, RLIMIT_NPROC: { soft: 4096, hard: 4096 } },
};

export const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n';
export const GROUP = 'root:x:0:\nuser:x:1000:\nextra:x:1001:user\n';

let counter = 0;

/** Ids that count up, so tests can tell containers apart by their first digits. */
export function countingIds(): () => string {
  return () => (++counter).toString(16).padStart(64, '0');
}

/** A runtime on a FakeKernel and FakeClock, in temp roots with a small rootfs; cleanup() removes all. */
export class RuntimeFixture {
  readonly clock = new FakeClock();
  readonly kernel = new FakeKernel(this.clock);
  readonly removed: ContainerInfo[] = [];
  /** The runtimes' cgroup manager; none (the runtime's default) unless a test sets one before makeRuntime(). */
  cgroups: CgroupManager | undefined;
  runtime!: Runtime;
  paths!: StatePaths;
  rootfs!: string;
  private dir!: string;

  static async create(): Promise<RuntimeFixture> {
    const f = new RuntimeFixture();
    f.dir = await mkdtemp(join(tmpdir(), 'tsc-runtime-'));
    f.rootfs = join(f.dir, 'rootfs');
    await mkdir(join(f.rootfs, 'etc'), { recursive: true });
    await writeFile(join(f.rootfs, 'etc/passwd'), PASSWD);
    await writeFile(join(f.rootfs, 'etc/group'), GROUP);
    f.paths = new StatePaths({ dataRoot: join(f.dir, 'data'), runtimeRoot: join(f.dir, 'run') });
    f.runtime = f.makeRuntime();
    return f;
  }

  /** Another Runtime on the same roots and kernel, as another process would have. */
  makeRuntime(): Runtime {
    return new Runtime({
      kernel: this.kernel,
      paths: this.paths,
      clock: this.clock,
      ids: countingIds(),
      hostFacts: async () => HOST,
      sleep: this.clock.sleep,
      tickers: sleepingTickers(this.clock.sleep),
      onRemove: async (info) => void this.removed.push(info),
      ...(this.cgroups === undefined ? {} : { cgroups: this.cgroups }),
    });
  }

  spec(name: string, args: string[], overrides: Partial<ContainerSpec> = {}): ContainerSpec {
    return {
      name,
      labels: {},
      image: { reference: 'test/probe:latest' },
      rootfs: { path: this.rootfs },
      process: { args },
      ...overrides,
    };
  }

  /** Container directories left under the data root. */
  async containerDirs(): Promise<string[]> {
    return readdir(this.paths.containers).catch(() => []);
  }

  async cleanup(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
