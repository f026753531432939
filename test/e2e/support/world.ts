import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { WorldCgroups } from './world-cgroups.js';

const run = promisify(execFile);

export const ROOT = resolve(import.meta.dirname, '../../..');
export const CLI = join(ROOT, 'bin', 'tscompose');
export const IS_ROOT = process.getuid?.() === 0;

/** Images are built once per machine and shared by every test world (they are deterministic). */
const IMAGE_CACHE = join(tmpdir(), 'tscompose-test-images');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * One test's own world: a data root and a runtime root in a temp dir, a cgroup parent of its own
 * (`tscompose-e2e-<id>`), with the project's test images loaded, and the CLI run as a user would,
 * against those only. The supervisors the CLI starts inherit its environment, and so the parent.
 */
export class World {
  readonly dir = mkdtempSync(join(tmpdir(), 'tsc-e2e-'));
  readonly cgroups = new WorldCgroups(`tscompose-e2e-${basename(this.dir).slice('tsc-e2e-'.length)}`);
  readonly env: Record<string, string>;

  constructor() {
    this.env = {
      ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
      TSCOMPOSE_ROOT: join(this.dir, 'data'),
      TSCOMPOSE_RUNTIME_ROOT: join(this.dir, 'run'),
      TSCOMPOSE_DNS_UPSTREAM: 'none',
      // Outbound NAT changes the host's iptables; only the NAT test turns it on.
      TSCOMPOSE_NAT: 'off',
      TSCOMPOSE_CGROUP_PARENT: this.cgroups.name,
      FORCE_COLOR: '0',
    };
  }

  async cli(args: string[], options: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<CliResult> {
    try {
      const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
        cwd: options.cwd ?? this.dir,
        env: { ...this.env, ...options.env },
        timeout: options.timeoutMs ?? 60_000,
        killSignal: 'SIGKILL',
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number | string; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
    }
  }

  /** Builds (once per machine) and loads the test images into this world's store. */
  async loadImages(): Promise<void> {
    const { buildTestImages } = await import('../../../src/image/test-images/index.js');
    const archives = await buildTestImages(IMAGE_CACHE);
    for (const archive of Object.values(archives)) {
      const result = await this.cli(['image', 'load', '-q', '-i', archive]);
      if (result.code !== 0) throw new Error(`image load ${archive}: ${result.stderr}`);
    }
  }

  /**
   * What this world left on the machine: mounts under it (netns bind mounts included), processes that
   * name it and, only when there are some, links (bridges, veths) whose alias names its data root and
   * cgroups below its cgroup parent (in any hierarchy, v1 or v2).
   */
  leaks(): { mounts: string[]; processes: string[]; links?: string[]; cgroups?: string[] } {
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(this.dir));
    const processes = this.processes();
    const links = this.networkLinks();
    const cgroups = this.cgroups.leftovers();
    return { mounts, processes, ...(links.length > 0 ? { links } : {}), ...(cgroups.length > 0 ? { cgroups } : {}) };
  }

  /** The processes whose command line names this world (supervisors, monitors), as `<pid> <cmdline>`. */
  processes(): string[] {
    const found: string[] = [];
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        if (cmdline.includes(this.dir)) found.push(`${pid} ${cmdline}`);
      } catch {
        // The process ended while we looked.
      }
    }
    return found;
  }

  /** Bridges and veths tscompose made for this world (their alias names its data root), and namespace files left under its runtime root. */
  networkLinks(): string[] {
    const all = JSON.parse(execFileSync('ip', ['-j', '-d', 'link', 'show'], { encoding: 'utf8' }) || '[]') as { ifname: string; ifalias?: string }[];
    const mine = all.filter((l) => l.ifalias?.startsWith(`tscompose root=${join(this.dir, 'data')} `) === true).map((l) => `link ${l.ifname}`);
    const netns = join(this.dir, 'run', 'netns');
    return [...mine, ...(existsSync(netns) ? readdirSync(netns).map((f) => `netns ${f}`) : [])];
  }

  /** The project supervisors of this world still alive: processes whose command line names its runtime root (processes() lists them too). */
  supervisors(): string[] {
    const runtimeRoot = join(this.dir, 'run');
    return this.processes().filter((p) => p.includes('supervisor-main') && p.includes(`--runtime-root ${runtimeRoot} `));
  }

  containerDirs(): string[] {
    const dir = join(this.dir, 'data', 'containers');
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  /**
   * The end of a test file: runs its `down`, removes the world, and then fails if the down failed or
   * left anything behind (container directories, mounts, processes, links, namespaces, cgroups).
   */
  async finish(down: () => Promise<CliResult>): Promise<void> {
    const result = await down();
    const leaks = this.leaks();
    const dirs = this.containerDirs();
    this.dispose();
    if (result.code !== 0) throw new Error(`down failed (${result.code}): ${result.stderr}`);
    expect(dirs).toEqual([]);
    expect(leaks).toEqual({ mounts: [], processes: [] });
  }

  /**
   * Removes the world and whatever a leak left of it, after leaks() has reported it: the processes of
   * its containers (in its cgroups) and those naming it (supervisors, monitors), by pid; its mounts;
   * its bridges and veths; its cgroups; its files. So a failed test leaves nothing on the machine.
   */
  dispose(): void {
    for (let round = 0; round < 100; round++) {
      const pids = [...this.cgroups.pids(), ...this.processes().map((p) => Number(p.split(' ')[0]))].filter((pid) => pid !== process.pid);
      if (pids.length === 0) break;
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      execFileSync('sleep', ['0.05']);
    }
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m.startsWith(`${this.dir}/`));
    for (const mount of mounts.reverse()) tryRun('umount', ['-l', mount]);
    for (const link of this.networkLinks().filter((l) => l.startsWith('link '))) tryRun('ip', ['link', 'del', 'dev', link.slice('link '.length)]);
    this.cgroups.remove();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function tryRun(file: string, args: string[]): void {
  try {
    execFileSync(file, args, { stdio: 'ignore' });
  } catch {
    // Gone meanwhile (a veth goes with its peer's namespace): nothing left to undo.
  }
}
