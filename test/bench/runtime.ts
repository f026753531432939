// Benchmark: the runtime's container cycle and log capture, beside baselines run in the same process.
//  - create + start + wait + remove of a container running `true` (median of 50), for tscompose and
//    for `runc run` of the very bundle (config.json) tscompose wrote for it, taken in turn;
//  - log capture of 200 MB written to stdout by a container, beside `dd` of the same bytes to a file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

    // runc runs the bundle tscompose writes for a container; keep one to borrow its config.json.
    const kept = await runtime.create(spec('runc-bundle', ['/bin/true']));
    const bundle = kept.paths.bundle;
    const ours: number[] = [];
    const runcTimes: number[] = [];
    const hasRunc = existsSync('/usr/sbin/runc') || existsSync('/usr/bin/runc');
    // One of each in turn, so both see the same load on a machine others share.
    for (let i = 0; i < CYCLES; i++) {
      ours.push(...(await timeItAsync(1, cycle)));
      if (!hasRunc) continue;
      const start = performance.now();
      execFileSync('runc', ['--root', join(dir, 'runc'), 'run', '--bundle', bundle, `bench-${i}`], { stdio: 'ignore' });
      runcTimes.push(performance.now() - start);
    }
    await runtime.remove(kept.id);

    // 100-byte lines written 64 KiB at a time by the probe in the rootfs, for the container and the
    // baseline alike (busybox's `yes | head` is slower than the capture it would measure).
    const logged = spec('log-writer', ['/usr/bin/probe', 'write', '-', String(LOG_MB * 1024 * 1024)]);
    const logStart = performance.now();
    const info = await runtime.create(logged);
    await runtime.start(info.id);
    await runtime.wait(info.id);
    const logMs = performance.now() - logStart;
    // The log is rotated (10 MiB × 3 by default): what is kept is the current file and the rotated ones.
    const logBytes = readdirSync(info.paths.dir).filter((f) => f.startsWith('container.log')).reduce((n, f) => n + statSync(join(info.paths.dir, f)).size, 0);
    await runtime.remove(info.id);
    // The same generator through dd to a file, chrooted into the same rootfs.
    const ddStart = performance.now();
    execFileSync('chroot', [rootfs, '/bin/sh', '-c', `probe write - ${LOG_MB * 1024 * 1024} 2>/dev/null | dd of=/tmp/dd.out bs=1M 2>/dev/null`]);
    const ddBytes = statSync(join(rootfs, 'tmp', 'dd.out')).size;
    if (ddBytes !== LOG_MB * 1024 * 1024) throw new Error(`baseline wrote ${ddBytes} bytes`);
    const ddMs = performance.now() - ddStart;

    printTable('runtime: one container at a time', [
      ['create+start+wait+remove of `true` (median of 50)', median(ours), hasRunc ? median(runcTimes) : 0, hasRunc ? 'runc run of the same bundle' : 'runc not installed'],
      [`${LOG_MB} MB of stdout lines captured to the log`, logMs, ddMs, 'the same bytes through dd to a file'],
    ]);
    const mbps = (LOG_MB / (logMs / 1000)).toFixed(0);
    console.log(`  log capture: ${mbps} MB/s of output (${(logBytes / 1e6).toFixed(0)} MB of log records kept after rotation); target ≥ 0.5× dd and ≥ 200 MB/s`);
    console.log(`  target: log capture ≥ 0.5× dd and ≥ 200 MB/s — ${logMs <= 2 * ddMs && LOG_MB / (logMs / 1000) >= 200 ? 'met' : 'NOT met'}`);
    console.log(`  target: container cycle ≤ 1.0× runc — ${hasRunc && median(ours) <= median(runcTimes) ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
