import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TscError } from '../../../src/errors/index.js';
import type { LaunchFailure } from '../../../src/kernel/kernel.js';
import type { LaunchResult } from '../../../src/kernel/kernel.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';
import { readProcStat } from '../../../src/kernel/linux/proc-stat.js';
import { ROOTFS_USER } from '../helpers/rootfs.js';
import { dockerPlan, DOCKER_MASKED_PATHS, DOCKER_READONLY_PATHS, DOCKER_STEPS } from './docker-plan.js';
import { HELPER, ROOT, Sandbox, buildNative, isRoot, readLog, streamText, waitExit, waitForLog } from './harness.js';
import { capMask, readReport } from './probe-report.js';

// Docker's documented default capability set (CapBnd/CapEff of a root process in `docker run`).
const DOCKER_CAP_MASK = 0xa80425fbn;
// glibc's SIGRTMIN (the kernel's 32 and 33 are taken by the C library).
const SIGRTMIN = 34;

describe.skipIf(!isRoot)('launching a container through the native helper', () => {
  const kernel = new LinuxKernel({ helperPath: HELPER });
  let sandbox: Sandbox;

  beforeAll(() => buildNative());
  beforeEach(async () => {
    sandbox = await Sandbox.create();
  });
  afterEach(async () => {
    const { alive, mounts } = await sandbox.cleanup(kernel);
    expect(alive).toEqual([]);
    expect(mounts).toEqual([]);
  });

  async function run(name: string, args: string[], overrides: Parameters<typeof dockerPlan>[1] = {}) {
    const plan = dockerPlan({ name, bundle: sandbox.bundle(name), rootfs: sandbox.rootfs, args }, overrides);
    const result = sandbox.track(await kernel.launch(plan));
    const exit = await waitExit(kernel, plan.exitFile);
    return { plan, result, exit };
  }

  it('runs the probe as PID 1 in its own namespaces with Docker\'s defaults', async () => {
    const { plan, result, exit } = await run('box', ['probe', 'report'], {
      env: ['PATH=/usr/bin:/bin', 'GREETING=hello world'],
      cwd: '/tmp',
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 4096 }],
    });
    expect(exit).toMatchObject({ pid: result.container.pid, startTime: result.container.startTime, exitCode: 0, signal: null });
    const report = await readReport(plan.logFile);
    expect(report.pid).toBe(1);
    expect(report.ppid).toBe(0);
    expect(report.hostname).toBe('box');
    expect(report.pids).toEqual([1]);
    expect(report.interfaces).toEqual(['lo']);
    expect(report.env).toEqual(['PATH=/usr/bin:/bin', 'GREETING=hello world']);
    expect(report.cwd).toBe('/tmp');
    expect(report.rlimits.NOFILE).toEqual({ soft: 1024, hard: 4096 });
    expect(capMask(report, 'CapBnd')).toBe(DOCKER_CAP_MASK);
    expect(capMask(report, 'CapEff')).toBe(DOCKER_CAP_MASK);
    expect(capMask(report, 'CapPrm')).toBe(DOCKER_CAP_MASK);
    expect(capMask(report, 'CapInh')).toBe(0n);
    expect(capMask(report, 'CapAmb')).toBe(0n);
  });

  it('shows only its own mounts, with /proc/sys read-only and the masked paths covered', async () => {
    const { plan } = await run('mounts', ['probe', 'report']);
    const report = await readReport(plan.logFile);
    const targets = report.mounts.map((m) => m.target);
    const hostTargets = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4]).filter((t) => t !== undefined);
    const ours = ['/', '/proc', '/dev', '/dev/pts', '/sys', '/dev/mqueue', '/dev/shm', ...DOCKER_MASKED_PATHS, ...DOCKER_READONLY_PATHS];
    for (const t of targets) expect(ours).toContain(t);
    expect(hostTargets.filter((t) => !ours.includes(t) && targets.includes(t))).toEqual([]);
    expect(targets.slice(0, 7)).toEqual(['/', '/proc', '/dev', '/dev/pts', '/sys', '/dev/mqueue', '/dev/shm']);
    const procSys = report.mounts.find((m) => m.target === '/proc/sys');
    expect(procSys?.options.split(',')).toContain('ro');
    const sys = report.mounts.find((m) => m.target === '/sys');
    expect(sys?.options.split(',')).toContain('ro');
    // Only the masked paths that exist are covered; the container's /proc and /sys show what the host's do.
    const existing = DOCKER_MASKED_PATHS.filter((p) => existsSync(p));
    const masked = report.mounts.filter((m) => DOCKER_MASKED_PATHS.includes(m.target));
    expect(masked.map((m) => m.target).sort()).toEqual([...existing].sort());
    for (const m of masked) expect(m.type).toBe('tmpfs');
  });

  it('refuses writes under /proc/sys', async () => {
    const { plan, exit } = await run('procsys', ['probe', 'write', '/proc/sys/kernel/hostname', '3']);
    expect(exit.exitCode).toBe(1);
    expect(streamText(await readLog(plan.logFile), 'stderr')).toContain('Read-only file system');
  });

  it('runs as user 1000:1000 with its supplementary group and no effective capabilities', async () => {
    const u = ROOTFS_USER;
    const { plan } = await run('user', ['probe', 'report'], { user: { uid: u.uid, gid: u.gid, additionalGids: [u.extraGid] } });
    const report = await readReport(plan.logFile);
    expect([report.uid, report.euid, report.gid, report.egid]).toEqual([u.uid, u.uid, u.gid, u.gid]);
    expect(report.groups).toEqual([u.extraGid]);
    expect(capMask(report, 'CapBnd')).toBe(DOCKER_CAP_MASK);
    expect(capMask(report, 'CapEff')).toBe(0n);
    expect(capMask(report, 'CapPrm')).toBe(0n);
  });

  it('leaves every capability set empty when the plan gives none, and sets no_new_privs', async () => {
    const none = { bounding: [], effective: [], permitted: [], inheritable: [], ambient: [] };
    const { plan } = await run('nocaps', ['probe', 'report'], { capabilities: none, noNewPrivileges: true });
    const report = await readReport(plan.logFile);
    for (const set of ['CapBnd', 'CapEff', 'CapPrm', 'CapInh', 'CapAmb'] as const) expect(capMask(report, set)).toBe(0n);
    expect(report.status.NoNewPrivs).toBe('1');
  });

  it('logs stdout and stderr lines with their stream and time, and records the exit code', async () => {
    const { plan, exit } = await run('streams', ['probe', 'echo', 'hello', 'out', 'then', 'echo-err', 'oops', 'then', 'exit', '3']);
    expect(exit.exitCode).toBe(3);
    const records = await readLog(plan.logFile);
    expect(records.map((r) => [r.stream, r.log])).toEqual(expect.arrayContaining([['stdout', 'hello out\n'], ['stderr', 'oops\n']]));
    expect(records).toHaveLength(2);
    for (const r of records) {
      expect(r.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
      expect(Math.abs(Date.parse(r.time) - Date.parse(exit.time))).toBeLessThan(10_000);
    }
  });

  it('fails with the exec step when the executable is not in PATH', async () => {
    const plan = dockerPlan({ name: 'missing', bundle: sandbox.bundle('missing'), rootfs: sandbox.rootfs, args: ['nope', '--version'] });
    const error = await kernel.launch(plan).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TscError);
    const err = error as TscError;
    expect(err.code).toBe('CONTAINER_START');
    expect(err.message).toBe('start `missing`: exec: "nope": executable file not found in $PATH');
    expect((err.cause as LaunchFailure)).toMatchObject({ step: 'exec', errnoName: 'ENOENT' });
    expect(await kernel.readExit(plan.exitFile)).toBeUndefined();
  });

  it('fails with the mount step when a bind source does not exist', async () => {
    const missing = join(sandbox.dir, 'no-such-dir');
    const plan = dockerPlan({ name: 'badbind', bundle: sandbox.bundle('badbind'), rootfs: sandbox.rootfs, args: ['probe', 'exit', '0'] }, {
      steps: [{ op: 'mount', destination: '/data', type: 'bind', source: missing, flags: ['rbind'] }],
    });
    const err = (await kernel.launch(plan).catch((e: unknown) => e)) as TscError;
    expect(err.code).toBe('KERNEL');
    expect(err.message).toContain(`\`${missing}\``);
    expect(err.cause).toMatchObject({ step: 'mount', errnoName: 'ENOENT' });
  });

  it('mounts an overlay rootfs whose writes land in the upper dir, and read-only binds', async () => {
    const [upper, work, shared] = ['upper', 'work', 'shared'].map((d) => join(sandbox.dir, d)) as [string, string, string];
    for (const d of [upper, work, shared]) await mkdir(d);
    const target = join(sandbox.dir, 'merged');
    await mkdir(target);
    const { plan, exit } = await run('overlay', ['probe', 'write', '/written', '1000', 'then', 'write', '/shared/x', '1', 'then', 'report'], {
      rootfs: { path: target, overlay: { lowerdirs: [sandbox.rootfs], upperdir: upper, workdir: work } },
      steps: [
        { op: 'mount', destination: '/proc', type: 'proc', source: 'proc', flags: ['nosuid', 'noexec', 'nodev'] },
        { op: 'mount', destination: '/shared', type: 'bind', source: shared, flags: ['rbind', 'ro'] },
      ],
      maskedPaths: [],
      readonlyPaths: [],
    });
    expect(exit.exitCode).toBe(1);
    expect(streamText(await readLog(plan.logFile), 'stderr')).toContain('probe: write /shared/x: Read-only file system');
    expect((await stat(join(upper, 'written'))).size).toBe(1000);
    await expect(stat(join(sandbox.rootfs, 'written'))).rejects.toThrow();
    expect(await readdir(shared)).toEqual([]);
  });

  it('forwards SIGTERM sent to the monitor, and records death by signal', async () => {
    const plan = dockerPlan({ name: 'signals', bundle: sandbox.bundle('signals'), rootfs: sandbox.rootfs, args: ['probe', 'sleep', '30'] });
    const first = sandbox.track(await kernel.launch(plan));
    await waitForLog(plan.logFile, 'stdout', 'sleeping 30\n');
    process.kill(first.monitor.pid, 'SIGTERM');
    expect((await waitExit(kernel, plan.exitFile)).exitCode).toBe(128 + 15);
    expect(streamText(await readLog(plan.logFile), 'stdout')).toBe('sleeping 30\nsignal 15\n');

    const again = dockerPlan({ name: 'killed', bundle: sandbox.bundle('killed'), rootfs: sandbox.rootfs, args: ['probe', 'ignore-term'] });
    const second = sandbox.track(await kernel.launch(again));
    expect(await kernel.signal(second.container, 'SIGKILL')).toBe(true);
    expect(await waitExit(kernel, again.exitFile)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    expect(await kernel.processAlive(second.container)).toBe(false);
    expect(await kernel.signal(second.container, 'SIGTERM')).toBe(false);
  });

  it('writes the plan beside the bundle and starts a short container quickly', async () => {
    const plan = dockerPlan({ name: 'fast', bundle: sandbox.bundle('fast'), rootfs: sandbox.rootfs, args: ['probe', 'exit', '0'] });
    const started = performance.now();
    sandbox.track(await kernel.launch(plan));
    const elapsed = performance.now() - started;
    expect((await waitExit(kernel, plan.exitFile)).exitCode).toBe(0);
    expect(await readFile(join(plan.bundle, 'launch.plan'), 'utf8')).toMatch(/^tsc-plan 1\n/);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('keeps the container and its monitor running when the Node process that launched them is killed', async () => {
    const plan = dockerPlan({ name: 'detached', bundle: sandbox.bundle('detached'), rootfs: sandbox.rootfs, args: ['probe', 'sleep', '30'] });
    const planFile = join(sandbox.dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const script = join(ROOT, 'test/integration/runtime/launch-and-wait.ts');
    const caller = spawn(process.execPath, ['--import', 'tsx', script, HELPER, planFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: caller.stdout });
    const [line] = (await once(lines, 'line')) as [string];
    const result = sandbox.track(JSON.parse(line) as LaunchResult);
    caller.kill('SIGKILL');
    await once(caller, 'close');

    expect(await kernel.processAlive(result.container)).toBe(true);
    expect(await kernel.processAlive(result.monitor)).toBe(true);
    expect((await readProcStat('/proc', result.monitor.pid))?.ppid).not.toBe(caller.pid);
    expect((await readProcStat('/proc', result.container.pid))?.ppid).toBe(result.monitor.pid);
    await waitForLog(plan.logFile, 'stdout', 'sleeping 30\n');
    expect(await kernel.signal(result.container, 'SIGTERM')).toBe(true);
    expect((await waitExit(kernel, plan.exitFile)).exitCode).toBe(128 + 15);
    expect(streamText(await readLog(plan.logFile), 'stdout')).toBe('sleeping 30\nsignal 15\n');
  });

  it('joins the namespaces of another container by path', async () => {
    const first = dockerPlan({ name: 'alpha', bundle: sandbox.bundle('alpha'), rootfs: sandbox.rootfs, args: ['probe', 'sleep', '30'] });
    const alpha = sandbox.track(await kernel.launch(first));
    const ns = (kind: string) => ({ mode: 'path' as const, path: `/proc/${alpha.container.pid}/ns/${kind}` });
    const { plan, result } = await run('beta', ['probe', 'report'], {
      namespaces: { mount: { mode: 'new' }, pid: ns('pid'), uts: ns('uts'), ipc: ns('ipc'), net: ns('net') },
      hostname: undefined,
    });
    const report = await readReport(plan.logFile);
    expect(report.hostname).toBe('alpha');
    expect(report.pid).not.toBe(1);
    expect(report.pids).toContain(1);
    expect(report.pids).toContain(report.pid);
    expect(report.interfaces).toEqual(['lo']);
    expect(result.container.pid).not.toBe(alpha.container.pid);
    expect(await kernel.processAlive(alpha.container)).toBe(true);
  });

  it('creates directories, applies the umask and makes the rootfs read-only', async () => {
    const u = ROOTFS_USER;
    const { plan, exit } = await run('ro', ['probe', 'report', 'then', 'write', '/scratch/f', '5', 'then', 'write', '/f', '1'], {
      steps: [
        ...DOCKER_STEPS,
        { op: 'mount', destination: '/scratch', type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'nodev'], data: 'mode=1777' },
        { op: 'directory', path: '/srv/app', mode: 0o750, uid: u.uid, gid: u.gid },
      ],
      rootfs: { path: sandbox.rootfs, readonly: true },
      user: { uid: u.uid, gid: u.gid, additionalGids: [] },
      umask: 0o027,
      cwd: '/srv/app',
    });
    expect(exit.exitCode).toBe(1);
    const report = await readReport(plan.logFile);
    expect(report.cwd).toBe('/srv/app');
    expect(report.status.Umask).toBe('0027');
    const records = await readLog(plan.logFile);
    expect(streamText(records, 'stdout')).toContain('wrote 5 bytes to /scratch/f\n');
    expect(streamText(records, 'stderr')).toBe('probe: write /f: Read-only file system\n');
    const dir = await stat(join(sandbox.rootfs, 'srv/app'));
    expect([dir.uid, dir.gid, dir.mode & 0o7777]).toEqual([u.uid, u.gid, 0o750]);
  });

  it('kills the container when the monitor gets SIGRTMIN', async () => {
    const plan = dockerPlan({ name: 'rtmin', bundle: sandbox.bundle('rtmin'), rootfs: sandbox.rootfs, args: ['probe', 'ignore-term'] });
    const result = sandbox.track(await kernel.launch(plan));
    await waitForLog(plan.logFile, 'stdout', 'ignoring SIGTERM\n');
    process.kill(result.monitor.pid, 'SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    expect(await kernel.processAlive(result.container)).toBe(true);
    process.kill(result.monitor.pid, SIGRTMIN);
    expect(await waitExit(kernel, plan.exitFile)).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
  });

  it('mounts an overlay whose options exceed a page by using paths relative to their common parent', async () => {
    // 30 layers with long names: about 4.6 KiB of absolute paths, under 4 KiB once relative.
    const layers = Array.from({ length: 29 }, (_, i) => join(sandbox.dir, 'layers', `${String(i).padStart(3, '0')}-${'x'.repeat(116)}`));
    for (const l of layers) await mkdir(l, { recursive: true });
    const lowerdirs = [...layers, sandbox.rootfs];
    const [upper, work, target] = ['upper', 'work', 'merged'].map((d) => join(sandbox.dir, d)) as [string, string, string];
    for (const d of [upper, work, target]) await mkdir(d);
    expect(`lowerdir=${lowerdirs.join(':')},upperdir=${upper},workdir=${work}`.length).toBeGreaterThan(4096);
    const { plan, exit } = await run('layers', ['probe', 'report'], {
      rootfs: { path: target, overlay: { lowerdirs, upperdir: upper, workdir: work } },
    });
    expect(exit.exitCode).toBe(0);
    const root = (await readReport(plan.logFile)).mounts.find((m) => m.target === '/');
    expect(root?.type).toBe('overlay');
  });
});
