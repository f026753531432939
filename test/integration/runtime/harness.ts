import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ExitStatus, Kernel, LaunchResult, ProcessRef } from '../../../src/kernel/kernel.js';
import { buildRootfs } from '../helpers/rootfs.js';
import { parseLogLine } from '../../../src/runtime/log-record.js';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const HELPER = join(ROOT, 'build/native/tsc-helper');
export const PROBE = join(ROOT, 'build/native/tsc-probe');
export const isRoot = process.getuid?.() === 0;

/** Compiles src/native/ (a no-op when build/native/ is up to date). */
export function buildNative(): void {
  execFileSync(process.execPath, [join(ROOT, 'src/native/build.js')], { stdio: 'inherit' });
}

export interface LogRecord {
  readonly log: string;
  readonly stream: 'stdout' | 'stderr';
  readonly time: string;
}

export async function readLog(path: string): Promise<LogRecord[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').filter((l) => l !== '').map((l) => {
    const record = parseLogLine(l);
    if (record === undefined) throw new Error(`not a log record in ${path}: ${l}`);
    return record;
  });
}

/** The text a stream wrote, records joined. */
export function streamText(records: readonly LogRecord[], stream: 'stdout' | 'stderr'): string {
  return records.filter((r) => r.stream === stream).map((r) => r.log).join('');
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until a stream of the log holds `text` (e.g. the line a probe prints once it is ready). */
export function waitForLog(logFile: string, stream: 'stdout' | 'stderr', text: string): Promise<true> {
  return waitFor(`\`${text}\` in ${logFile}`, async () => {
    const records = await readLog(logFile).catch(() => []);
    return streamText(records, stream).includes(text) ? true : undefined;
  });
}

export function waitExit(kernel: Kernel, exitFile: string, timeoutMs = 10_000): Promise<ExitStatus> {
  return waitFor(`exit file ${exitFile}`, () => kernel.readExit(exitFile), timeoutMs);
}

/** Mount points at or below dir in this process's mount namespace (the host's). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`));
}

/** One test's world: a temp dir with a rootfs, and the processes it started, cleaned up afterwards. */
export class Sandbox {
  private readonly launched: LaunchResult[] = [];

  private constructor(readonly dir: string, readonly rootfs: string) {}

  static async create(): Promise<Sandbox> {
    const dir = await mkdtemp(join(tmpdir(), 'tsc-launch-'));
    const rootfs = join(dir, 'rootfs');
    await buildRootfs(rootfs, { probePath: PROBE });
    return new Sandbox(dir, rootfs);
  }

  bundle(name: string): string {
    return join(this.dir, 'bundles', name);
  }

  track(result: LaunchResult): LaunchResult {
    this.launched.push(result);
    return result;
  }

  /** Kills what still runs, waits until every tracked process is gone, removes the temp dir. */
  async cleanup(kernel: Kernel): Promise<{ alive: ProcessRef[]; mounts: string[] }> {
    for (const r of this.launched) await kernel.signal(r.container, 'SIGKILL');
    const refs = this.launched.flatMap((r) => [r.container, r.monitor]);
    const deadline = performance.now() + 5_000;
    let alive: ProcessRef[] = refs;
    while (alive.length > 0 && performance.now() < deadline) {
      const states = await Promise.all(refs.map((ref) => kernel.processAlive(ref)));
      alive = refs.filter((_, i) => states[i]);
      if (alive.length > 0) await new Promise((r) => setTimeout(r, 10));
    }
    const mounts = mountsUnder(this.dir);
    await rm(this.dir, { recursive: true, force: true });
    return { alive, mounts };
  }
}
