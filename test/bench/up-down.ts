// Benchmark: `up -d`, a no-op `up -d` and `down` wall times through bin/tscompose, for generated
// stacks of 1, 10 and 30 services on images already in the store (issue 6, acceptance 6). Targets:
// 10 services `up -d` under 1 s, a no-op `up` under 300 ms. Figures only: nothing is asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './measure.js';

const ROOT = resolve(import.meta.dirname, '../..');
// TSCOMPOSE_BENCH_CLI=<path> measures another build of the CLI (e.g. a copy of an older one) for comparison.
const CLI = process.env.TSCOMPOSE_BENCH_CLI ?? join(ROOT, 'bin', 'tscompose');
const SIZES = [1, 10, 30];
// The no-op figure is the median of this many runs: a single run on a shared 2-core machine varies by ±100 ms.
const NOOP_RUNS = 11;

function stack(services: number): string {
  const lines = ['services:'];
  for (let i = 1; i <= services; i++) {
    lines.push(`  s${i}:`, '    image: tscompose-test/busybox:latest', '    command: ["sh", "-c", "sleep 1000 & wait $$!"]', '    network_mode: none');
  }
  return `${lines.join('\n')}\n`;
}

export async function benchUpDown(): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('\nup/down: skipped (needs root and `npm run build`)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-up-'));
  const env = { ...process.env, TSCOMPOSE_ROOT: join(dir, 'data'), TSCOMPOSE_RUNTIME_ROOT: join(dir, 'run'), TSCOMPOSE_DNS_UPSTREAM: 'none', FORCE_COLOR: '0' };
  const timed = (fn: () => unknown): number => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  const cli = (args: string[]): number => timed(() => execFileSync(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'], cwd: dir }));
  try {
    const { buildTestImages } = await import('../../src/image/test-images/index.js');
    const archives = await buildTestImages(join(tmpdir(), 'tscompose-test-images'));
    for (const archive of Object.values(archives)) cli(['image', 'load', '-q', '-i', archive]);
    const version = median([0, 1, 2, 3, 4].map(() => cli(['version'])));
    // What no CLI can go below here: Node's own start (with this environment, e.g. NODE_EXTRA_CA_CERTS).
    const node = median([0, 1, 2, 3, 4].map(() => timed(() => execFileSync(process.execPath, ['-e', '0'], { env, stdio: 'ignore' }))));
    console.log('\nup/down through bin/tscompose (wall ms, spawn to exit; cached images)');
    console.log(`  Node start (node -e 0): ${node.toFixed(0)} ms; CLI start (tscompose version): ${version.toFixed(0)} ms`);
    const noopLabel = `no-op up (median of ${NOOP_RUNS})`;
    console.log(`  ${'services'.padEnd(8)}  ${'up -d'.padStart(8)}  ${noopLabel}  ${'down'.padStart(8)}`);
    for (const n of SIZES) {
      const file = join(dir, `stack-${n}.yaml`);
      writeFileSync(file, stack(n));
      const project = ['-f', file, '-p', `bench${n}`];
      const up = cli([...project, 'up', '-d']);
      const noop = median(Array.from({ length: NOOP_RUNS }, () => cli([...project, 'up', '-d'])));
      const down = cli([...project, 'down', '-t', '0']);
      console.log(`  ${String(n).padEnd(8)}  ${up.toFixed(0).padStart(8)}  ${noop.toFixed(0).padStart(noopLabel.length)}  ${down.toFixed(0).padStart(8)}`);
    }
    console.log('  targets: 10 services up -d < 1000 ms; no-op up < 300 ms');
  } finally {
    for (const n of SIZES) {
      try {
        execFileSync(process.execPath, [CLI, '-f', join(dir, `stack-${n}.yaml`), '-p', `bench${n}`, 'down', '-t', '0'], { env, stdio: 'ignore', cwd: dir });
      } catch {
        // Nothing was left of that stack.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
