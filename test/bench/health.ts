// Benchmark: how soon a service gated on `service_healthy` follows its dependency's first passing
// check, through bin/tscompose as a user runs it. Printed per run and as medians; target < 100 ms.
//  - release: the dependency's `health_status: healthy` event → the CLI reporting the dependent `Starting`
//    (the dependent is created while its dependency starts, as Compose does);
//  - start: the same event → the dependent's `start` event (its rootfs, network and launch included).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gatedStack } from '../e2e/support/busybox-stack.js';
import { median } from './measure.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = join(ROOT, 'bin', 'tscompose');
const RUNS = 5;

interface Line { at: number; text: string }

/** Runs the CLI, stamping each stderr line with the wall time it arrived at. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; lines: Line[] }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let pending = '';
    const lines: Line[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const at = Date.now();
      pending += chunk.toString();
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const text of parts) lines.push({ at, text });
    });
    child.on('close', (code) => done({ code: code ?? -1, stdout, lines }));
  });
}

const COMPOSE = gatedStack({ dependency: 'api', dependent: 'web' }, {
  command: '["sh", "-c", "sleep 0.5; touch /tmp/ready; exec sleep 600"]',
  healthcheck: ['test: ["CMD", "test", "-f", "/tmp/ready"]', 'interval: 100ms', 'retries: 100'],
});

export async function benchHealth(): Promise<void> {
  if (process.getuid?.() !== 0 || !existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    console.log('\nhealth: skipped (needs root and the build)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tsc-bench-health-'));
  const env = { ...process.env, TSCOMPOSE_ROOT: join(dir, 'data'), TSCOMPOSE_RUNTIME_ROOT: join(dir, 'run'), TSCOMPOSE_DNS_UPSTREAM: 'none', FORCE_COLOR: '0' } as Record<string, string>;
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, COMPOSE);
  const args = ['-f', file, '-p', 'hb'];
  try {
    const { buildTestImages } = await import('../../src/image/test-images/index.js');
    for (const archive of Object.values(await buildTestImages(join(tmpdir(), 'tscompose-test-images')))) await cli(['image', 'load', '-q', '-i', archive], env);
    const release: number[] = [];
    const started: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const up = await cli([...args, 'up', '-d'], env);
      if (up.code !== 0) throw new Error(`up failed: ${up.lines.map((l) => l.text).join('\n')}`);
      const events = (await cli([...args, 'events', '--json', '--since', '0', '--until', '0s'], env)).stdout.trim().split('\n').map((l) => JSON.parse(l) as { time: string; action: string; service: string });
      const last = (service: string, action: string): number => Date.parse(events.filter((e) => e.service === service && e.action === action).at(-1)?.time ?? '');
      const healthy = last('api', 'health_status: healthy');
      const starting = up.lines.find((l) => /Container hb-web-1 +Starting/.test(l.text))?.at ?? NaN;
      release.push(starting - healthy);
      started.push(last('web', 'start') - healthy);
      await cli([...args, 'down', '-t', '0'], env);
    }
    console.log('\nhealth: dependency healthy → dependent (up -d, 5 runs; target < 100 ms)');
    console.log(`  released (Starting reported)   ${release.map((v) => v.toFixed(0)).join(', ')} ms   median ${median(release).toFixed(0)} ms`);
    console.log(`  started (start event)          ${started.map((v) => v.toFixed(0)).join(', ')} ms   median ${median(started).toFixed(0)} ms`);
  } finally {
    await cli([...args, 'down', '-t', '0'], env);
    rmSync(dir, { recursive: true, force: true });
  }
}
