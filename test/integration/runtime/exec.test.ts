import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { ExecPlan } from '../../../src/kernel/exec-plan.js';
import { serializeExecPlan } from '../../../src/kernel/linux/exec-plan-writer.js';
import { LinuxKernel } from '../../../src/kernel/linux/linux-kernel.js';
import { readProcStat } from '../../../src/kernel/linux/proc-stat.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import type { ExecOptions, ExecResult } from '../../../src/runtime/exec.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { StatePaths } from '../../../src/state/paths.js';
import { systemClock } from '../../../src/util/clock.js';
import { hostCgroups } from '../cgroups/host-cgroups.js';
import { buildRootfs, ROOTFS_USER } from '../helpers/rootfs.js';
import { HELPER, mountsUnder, PROBE } from './harness.js';
import { capMask, type ProbeReport } from './probe-report.js';
import { nativesReady } from './runtime-world.js';

// exec on the real kernel: a running container (its own cgroup on this host), then commands run in it
// through Runtime.exec, checked against what the container's own first process sees.
describe.skipIf(!nativesReady)('exec into a running container', () => {
  const cgroups = hostCgroups();
  let dir: string;
  let runtime: Runtime;
  const kernel = new LinuxKernel({ helperPath: HELPER });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-exec-'));
    await buildRootfs(join(dir, 'rootfs'), { probePath: PROBE });
    runtime = new Runtime({ kernel, paths: new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') }), clock: systemClock, cgroups: cgroups.manager });
  });

  afterAll(async () => {
    const mounts = mountsUnder(dir);
    await rm(dir, { recursive: true, force: true });
    expect(mounts).toEqual([]);
    expect(cgroups.leftovers()).toEqual([]);
  });

  const spec = (name: string, overrides: Partial<ContainerSpec['process']> = {}): ContainerSpec => ({
    name, labels: {}, image: { reference: 'local/probe:test' }, rootfs: { path: join(dir, 'rootfs') },
    process: { args: ['probe', 'sleep', '120'], env: ['GREETING=hello'], cwd: '/root', ...overrides },
  });

  async function running(name: string, overrides: Partial<ContainerSpec['process']> = {}): Promise<number> {
    await runtime.create(spec(name, overrides));
    const info = await runtime.start(name);
    for (;;) { // the probe prints `sleeping` once its signal handlers are in place
      let out = '';
      for await (const r of runtime.logs(name)) out += r.log;
      if (out.includes('sleeping')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    return info.pid ?? 0;
  }

  async function removeAll(): Promise<void> {
    for (const c of await runtime.list()) {
      await runtime.stop(c.id, { timeoutMs: 2_000 });
      await runtime.remove(c.id);
    }
    expect(await readdir(join(dir, 'data', 'containers')).catch(() => [])).toEqual([]);
  }

  const sh = (name: string, script: string, options: Partial<ExecOptions> = {}): Promise<ExecResult> =>
    runtime.exec(name, { args: ['sh', '-c', script], ...options });

  describe('in the container', () => {
    let pid: number;
    beforeAll(async () => {
      pid = await running('box');
    });
    afterAll(removeAll);

    it('joins every namespace of the container: its hostname, its pids (/proc/1 is its process), its mounts', async () => {
      const ns = await sh('box', 'for n in cgroup ipc mnt net pid uts; do echo "$n $(readlink /proc/self/ns/$n) $(readlink /proc/1/ns/$n)"; done');
      expect(ns.exitCode).toBe(0);
      const lines = ns.stdout?.trim().split('\n') ?? [];
      expect(lines).toHaveLength(6);
      for (const l of lines) {
        const [, own, init] = l.split(' ');
        expect(own, l).toBe(init);
      }
      expect(ns.stdout).not.toContain(execFileSync('readlink', ['/proc/self/ns/net'], { encoding: 'utf8' }).trim());
      const who = await sh('box', 'hostname; cat /proc/1/cmdline | tr "\\0" " "; echo; ls /proc | grep -c "^[0-9]"');
      const [hostname, cmdline] = who.stdout?.split('\n') ?? [];
      const id = (await runtime.inspect('box')).id;
      expect(hostname).toBe(id.slice(0, 12));
      expect(cmdline?.trim()).toBe('probe sleep 120');
      const mounts = await sh('box', 'cut -d" " -f5 /proc/self/mountinfo | sort; echo ---; cut -d" " -f5 /proc/1/mountinfo | sort');
      const [own, init] = (mounts.stdout ?? '').split('---\n');
      expect(own).toBe(init);
      expect(own).toContain('/dev/pts\n');
      expect(pid).toBeGreaterThan(0);
    });

    it('joins its cgroup: the same as its first process, not the caller\'s', async () => {
      const r = await runtime.exec('box', { args: ['sleep', '300'], detach: true });
      const seen = readFileSync(`/proc/${r.pid}/cgroup`, 'utf8');
      process.kill(r.pid ?? 0, 'SIGKILL');
      expect(seen).toBe(readFileSync(`/proc/${pid}/cgroup`, 'utf8'));
      expect(seen).toContain(cgroups.parent);
      expect(readFileSync('/proc/self/cgroup', 'utf8')).not.toContain(cgroups.parent);
    });

    it('runs with the container\'s capabilities, user, environment and working directory', async () => {
      const r = await runtime.exec('box', { args: ['probe', 'report'] });
      const report = JSON.parse(r.stdout?.split('\n').find((l) => l.startsWith('{')) ?? '{}') as ProbeReport;
      expect(capMask(report, 'CapEff')).toBe(0xa80425fbn);
      expect(capMask(report, 'CapBnd')).toBe(0xa80425fbn);
      expect([report.uid, report.gid, report.cwd]).toEqual([0, 0, '/root']);
      expect(report.env).toEqual(['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', `HOSTNAME=${report.hostname}`, 'GREETING=hello', 'HOME=/root']);
      const init = await sh('box', 'grep CapEff /proc/1/status');
      expect(init.stdout).toContain('00000000a80425fb');
    });

    it('takes -u as a name or ids from the container\'s /etc/passwd and /etc/group', async () => {
      const named = await runtime.exec('box', { args: ['probe', 'report'], user: ROOTFS_USER.name });
      const r = JSON.parse(named.stdout?.split('\n').find((l) => l.startsWith('{')) ?? '{}') as ProbeReport;
      expect([r.uid, r.gid, r.groups]).toEqual([ROOTFS_USER.uid, ROOTFS_USER.gid, [ROOTFS_USER.extraGid]]);
      expect(r.env).toContain('HOME=/home/user');
      expect(capMask(r, 'CapEff')).toBe(0n);
      const ids = await sh('box', 'id -u; id -g', { user: '1000:1000' });
      expect(ids.stdout).toBe('1000\n1000\n');
      const err = await runtime.exec('box', { args: ['id'], user: 'nobody-here' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TscError);
      expect((err as TscError).code).toBe('EXEC_FAILED');
      expect((err as TscError).message).toContain('box');
      expect((err as TscError).message).toContain('unable to find user nobody-here');
    });

    it('lays -e over the container\'s environment and runs in -w', async () => {
      const r = await sh('box', 'echo "$GREETING $EXTRA"; pwd', { env: ['GREETING=hi', 'EXTRA=1'], cwd: '/tmp' });
      expect(r.stdout).toBe('hi 1\n/tmp\n');
      const missing = await sh('box', 'pwd', { cwd: '/no/such/dir' }).catch((e: unknown) => e);
      expect((missing as TscError).code).toBe('EXEC_FAILED');
      expect((missing as TscError).message).toMatch(/cwd: chdir to `\/no\/such\/dir`: No such file or directory/);
    });

    it('passes the exit code back, and the signal that ended the command', async () => {
      expect(await sh('box', 'echo out; echo err >&2; exit 7')).toMatchObject({ exitCode: 7, signal: null, stdout: 'out\n', stderr: 'err\n', timedOut: false });
      expect(await sh('box', 'kill -TERM $$')).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
      const slow = await runtime.exec('box', { args: ['sleep', '60'], timeoutMs: 300 });
      expect(slow).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: true });
      // Each exec's plan file is gone with it.
      const bundle = (await runtime.inspect('box')).paths.bundle;
      expect((await readdir(bundle)).filter((f) => f.startsWith('exec-'))).toEqual([]);
    });

    it('passes the signals of its source on to the command', async () => {
      const listeners = new Set<(s: NodeJS.Signals) => void>();
      const signals = { subscribe: (l: (s: NodeJS.Signals) => void) => (listeners.add(l), () => listeners.delete(l)) };
      const ready = join(dir, 'rootfs', 'tmp', 'ready-term');
      const running = sh('box', 'trap "echo got TERM; exit 9" TERM; touch /tmp/ready-term; while :; do sleep 0.1; done', { signals });
      while (!existsSync(ready)) await new Promise((r) => setTimeout(r, 10));
      for (const l of listeners) l('SIGTERM');
      expect(await running).toMatchObject({ exitCode: 9, stdout: 'got TERM\n' });
      expect(listeners.size).toBe(0);
      rmSync(ready);
    });

    it('feeds stdin, and cuts captured output to maxOutputBytes', async () => {
      expect((await runtime.exec('box', { args: ['cat'], stdin: 'pipe', input: 'to the container\n' })).stdout).toBe('to the container\n');
      const long = await sh('box', 'yes | head -c 100000', { maxOutputBytes: 1000 });
      expect(long.stdout).toHaveLength(1000);
      expect(long.exitCode).toBe(0);
    });

    it('fails to start a command that does not exist with EXEC_FAILED naming container, step and cause', async () => {
      const err = await runtime.exec('box', { args: ['no-such-command'] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TscError);
      expect((err as TscError).code).toBe('EXEC_FAILED');
      expect((err as TscError).exitStatus).toBe(126);
      expect((err as TscError).message).toBe('exec in `box`: exec: "no-such-command": executable file not found in $PATH');
      expect((err as TscError).cause).toMatchObject({ step: 'exec', errnoName: 'ENOENT' });
    });

    it('detaches: the command keeps running in the container and ends with it', async () => {
      const r = await runtime.exec('box', { args: ['sleep', '300'], detach: true });
      expect(r.exitCode).toBe(0);
      const detached = r.pid ?? 0;
      expect((await readProcStat('/proc', detached))?.state).toMatch(/[SR]/);
      expect(readFileSync(`/proc/${detached}/cmdline`, 'utf8')).toBe('sleep\u0000300\u0000');
      const inContainer = await sh('box', 'ps -o stat,comm | grep -v "^Z" | grep -c sleep');
      expect(inContainer.stdout?.trim()).toBe('1');
      await runtime.stop('box', { timeoutMs: 2_000 });
      for (;;) { // the pid namespace goes with its first process; the detached command with it
        const stat = await readProcStat('/proc', detached);
        if (stat === undefined || stat.state === 'Z') break;
        await new Promise((res) => setTimeout(res, 10));
      }
      await runtime.start('box');
    });
  });

  describe('a container that is not running', () => {
    afterEach(removeAll);

    it('refuses with CONTAINER_BAD_STATE, created or stopped', async () => {
      await runtime.create(spec('idle'));
      const created = await runtime.exec('idle', { args: ['true'] }).catch((e: unknown) => e);
      expect((created as TscError).code).toBe('CONTAINER_BAD_STATE');
      await runtime.start('idle');
      await runtime.stop('idle', { timeoutMs: 2_000 }).catch(() => undefined);
      const stopped = await runtime.exec('idle', { args: ['true'] }).catch((e: unknown) => e);
      expect((stopped as TscError).code).toBe('CONTAINER_BAD_STATE');
      expect((stopped as TscError).message).toBe('cannot exec in container idle: it is not running');
    });
  });

  it('the helper refuses a target whose pid now names another process (its start time differs)', async () => {
    const stat = await readProcStat('/proc', process.pid);
    const plan: ExecPlan = {
      name: 'reused', dir: join(dir, 'plans'), target: { pid: process.pid, startTime: (stat?.startTime ?? 0) + 1 },
      namespaces: ['pid', 'mount', 'net'], cgroups: [], rlimits: [], user: { uid: 0, gid: 0, additionalGids: [] },
      noNewPrivileges: false, cwd: '/', env: ['PATH=/bin'], args: ['true'], tty: false, detach: false,
    };
    const err = await kernel.exec(plan, { stdin: 'ignore', output: 'capture' }).catch((e: unknown) => e);
    expect((err as TscError).code).toBe('CONTAINER_BAD_STATE');
    expect((err as TscError).cause).toMatchObject({ step: 'target', errnoName: 'ESRCH' });
    expect(await readdir(join(dir, 'plans'))).toEqual([]);
  });

  describe('with a terminal', () => {
    let pid: number;
    beforeEach(async () => {
      pid = await running('term');
    });
    afterEach(removeAll);

    it('gives the command a pty of the container\'s devpts with the caller\'s window size', async () => {
      const stat = await readProcStat('/proc', pid);
      const plan: ExecPlan = {
        name: 'term', dir: join(dir, 'plans'), target: { pid, startTime: stat?.startTime ?? 0 },
        namespaces: ['pid', 'mount', 'uts', 'ipc', 'net'], rlimits: [], user: { uid: 0, gid: 0, additionalGids: [] },
        noNewPrivileges: false, cwd: '/', env: ['PATH=/bin:/usr/bin'], args: ['sh', '-c', 'tty; stty size; readlink /proc/self/ns/mnt; readlink /proc/1/ns/mnt'],
        tty: true, detach: false,
      };
      const planFile = join(dir, 'term.plan');
      writeFileSync(planFile, serializeExecPlan(plan, []));
      const result = join(dir, 'term.result');
      const out = spawnSync('script', ['-qec', `stty rows 33 cols 101; ${HELPER} exec ${planFile} 3>${result}`, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
      expect(out.status, `${out.stdout} ${out.stderr}`).toBe(0);
      const lines = out.stdout.replaceAll('\r', '').trim().split('\n');
      expect(lines[0]).toMatch(/^\/dev\/pts\/\d+$/);
      expect(lines[1]).toBe('33 101');
      expect(lines[2]).toBe(lines[3]);
      const results = readFileSync(result, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(results[0]).toMatchObject({ ok: true });
      expect(results[1]).toEqual({ exited: true, exitCode: 0, signal: null });
    });

    it('passes a change of the caller\'s window size on to the pty (the command sees SIGWINCH and the new size)', async () => {
      const stat = await readProcStat('/proc', pid);
      const plan: ExecPlan = {
        name: 'term', dir: join(dir, 'plans'), target: { pid, startTime: stat?.startTime ?? 0 },
        namespaces: ['pid', 'mount', 'uts', 'ipc', 'net'], rlimits: [], user: { uid: 0, gid: 0, additionalGids: [] },
        noNewPrivileges: false, cwd: '/', env: ['PATH=/bin:/usr/bin'],
        // stty sets rows and columns one ioctl at a time, so a resize may reach the command as two SIGWINCHs:
        // it reports the size once, when it is the new one.
        args: ['sh', '-c', 'trap \'s=$(stty size); [ "$s" = "40 120" ] && [ -z "$seen" ] && seen=1 && echo "$s"\' WINCH; stty size; touch /tmp/winch-ready; while [ -z "$seen" ]; do sleep 0.05; done'],
        tty: true, detach: false,
      };
      const planFile = join(dir, 'winch.plan');
      writeFileSync(planFile, serializeExecPlan(plan, []));
      const ready = join(dir, 'rootfs', 'tmp', 'winch-ready');
      // The helper runs in the background of script's shell (same process group): a resize reaches it.
      const outer = `stty rows 33 cols 101; ${HELPER} exec ${planFile} 3>/dev/null & while [ ! -e ${ready} ]; do sleep 0.05; done; stty rows 40 cols 120; wait`;
      const out = spawnSync('script', ['-qec', outer, '/dev/null'], { encoding: 'utf8', timeout: 20_000 });
      rmSync(ready, { force: true });
      expect(out.stdout.replaceAll('\r', '').trim().split('\n')).toEqual(['33 101', '40 120']);
    });
  });
});
