// Benchmark: the runtime's container cycle and log capture, beside baselines run in the same process.
//  - create + start + wait + remove of a container running `true` (median of 50), for tscompose and
//    for `runc run` of the very bundle (config.json) tscompose wrote for it;
//  - log capture of 200 MB written to stdout by a container, beside `dd` of the same bytes to a file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LinuxKernel } from '../../src/kernel/linux/linux-kernel.js';
import { Runtime } from '../../src/runtime/runtime.js';
import type { ContainerSpec } from '../../src/runtime/container-spec.js';
import { StatePaths } from '../../src/state/paths.js';
import { systemClock } from '../../src/util/clock.js';
import { buildRootfs } from '../integration/helpers/rootfs.js';
import { HELPER, PROBE } from '../integration/runtime/harness.js';
import { median, printTable, timeItAsync } from './measure.js';

const CYCLES = 50;
const LOG_MB = 200;

export async function benchRuntime(): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync(HELPER) || !existsSync(PROBE)) {
    console.log('\nruntime: skipped (needs root and the native build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-runtime-'));
  try {
    const rootfs = join(dir, 'rootfs');
    await buildRootfs(rootfs, { probePath: PROBE });
    const paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    const runtime = new Runtime({ kernel: new LinuxKernel({ helperPath: HELPER }), paths, clock: systemClock });
    const spec = (name: string, args: string[]): ContainerSpec => ({ name, labels: {}, image: { reference: 'bench' }, rootfs: { path: rootfs }, process: { args } });

    let n = 0;
    const cycle = async (): Promise<void> => {
      const info = await runtime.create(spec(`true-${n++}`, ['/bin/true']));
      await runtime.start(info.id);
      await runtime.wait(info.id);
      await runtime.remove(info.id);
    };
    await cycle();
    const ours = await timeItAsync(CYCLES, cycle);

    // runc runs the bundle tscompose writes for a container; keep one to borrow its config.json.
    const kept = await runtime.create(spec('runc-bundle', ['/bin/true']));
    const bundle = kept.paths.bundle;
    const runcTimes: number[] = [];
    const hasRunc = existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc');
    if (hasRunc) {
      for (let i = 0; i < CYCLES; i++) {
        const start = performance.now();
        execFileSync('runc', ['--root', join(dir, 'runc'), 'run', '--bundle', bundle, `bench-${i}`], { stdio: 'ignore' });
        runcTimes.push(performance.now() - start);
      }
    }
    await runtime.remove(kept.id);

    // 100-byte lines from busybox in the rootfs, for the container and the baseline alike.
    const generator = `yes ${'x'.repeat(99)} | head -c ${LOG_MB * 1024 * 1024}`;
    const logged = spec('log-writer', ['/bin/sh', '-c', generator]);
    const logStart = performance.now();
    const info = await runtime.create(logged);
    await runtime.start(info.id);
    await runtime.wait(info.id);
    const logMs = performance.now() - logStart;
    const logBytes = statSync(info.paths.logFile).size;
    await runtime.remove(info.id);
    // The same generator (the rootfs's busybox) through dd to a file, chrooted into the same rootfs.
    const ddStart = performance.now();
    execFileSync('chroot', [rootfs, '/bin/sh', '-c', `${generator} | dd of=/tmp/dd.out bs=1M 2>/dev/null`]);
    const ddBytes = statSync(join(rootfs, 'tmp', 'dd.out')).size;
    if (ddBytes !== LOG_MB * 1024 * 1024) throw new Error(`baseline wrote ${ddBytes} bytes`);
    const ddMs = performance.now() - ddStart;

    printTable('runtime: one container at a time', [
      ['create+start+wait+remove of `true` (median of 50)', median(ours), hasRunc ? median(runcTimes) : 0, hasRunc ? 'runc run of the same bundle' : 'runc not installed'],
      [`${LOG_MB} MB of stdout lines captured to the log`, logMs, ddMs, 'the same bytes through dd to a file'],
    ]);
    const mbps = (LOG_MB / (logMs / 1000)).toFixed(0);
    console.log(`  log capture: ${mbps} MB/s of output (${(logBytes / 1e6).toFixed(0)} MB of log records written); target ≥ 0.5× dd and ≥ 200 MB/s`);
    console.log(`  target: container cycle ≤ 1.0× runc — ${hasRunc && median(ours) <= median(runcTimes) ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
