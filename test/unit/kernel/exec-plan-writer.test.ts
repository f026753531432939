import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { ExecPlan } from '../../../src/kernel/exec-plan.js';
import { serializeExecPlan } from '../../../src/kernel/linux/exec-plan-writer.js';

// The exec plan writer, and the C parser against it: `tsc-helper exec-plan` prints what it understood.
const HELPER = join(resolve(import.meta.dirname, '../../..'), 'build/native/tsc-helper');

const PLAN: ExecPlan = {
  name: 'proj-web-1',
  dir: '/data/containers/abc/bundle',
  target: { pid: 4242, startTime: 991 },
  namespaces: ['net', 'pid', 'mount', 'ipc', 'uts', 'cgroup'],
  rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 'unlimited' }],
  user: { uid: 1000, gid: 1000, additionalGids: [1001, 5] },
  capabilities: { bounding: ['CAP_CHOWN', 'CAP_KILL'], effective: ['CAP_KILL'], permitted: ['CAP_KILL'], inheritable: [], ambient: [] },
  noNewPrivileges: true,
  umask: 0o022,
  cwd: '/srv/my app',
  env: ['PATH=/bin', 'GREETING=hello world', 'EMPTY='],
  args: ['sh', '-c', 'echo "a  b"\n-', '-'],
  tty: true,
  detach: false,
};

function dump(text: string): { status: number | null; json: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-exec-plan-'));
  try {
    writeFileSync(join(dir, 'exec.plan'), text);
    const out = spawnSync(HELPER, ['exec-plan', join(dir, 'exec.plan')], { encoding: 'utf8' });
    return { status: out.status, json: JSON.parse(out.stdout) as unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('serializeExecPlan', () => {
  it('writes the target, its namespaces by /proc path in a fixed order, the cgroups and the process', () => {
    const text = serializeExecPlan(PLAN, ['/sys/fs/cgroup/memory/tsc/abc'], '/proc');
    expect(text.split('\n')).toEqual([
      'tsc-exec 1',
      '# exec in container proj-web-1',
      'target 4242 991',
      'namespace pid path /proc/4242/ns/pid',
      'namespace mount path /proc/4242/ns/mnt',
      'namespace uts path /proc/4242/ns/uts',
      'namespace ipc path /proc/4242/ns/ipc',
      'namespace net path /proc/4242/ns/net',
      'namespace cgroup path /proc/4242/ns/cgroup',
      'cgroup /sys/fs/cgroup/memory/tsc/abc',
      'rlimit RLIMIT_NOFILE 1024 unlimited',
      'user 1000 1000',
      'groups 1001 5',
      'capabilities bounding CAP_CHOWN CAP_KILL',
      'capabilities effective CAP_KILL',
      'capabilities permitted CAP_KILL',
      'capabilities inheritable',
      'capabilities ambient',
      'no-new-privileges',
      'umask 0022',
      'cwd /srv/my\\sapp',
      'env PATH=/bin',
      'env GREETING=hello\\sworld',
      'env EMPTY=',
      'arg sh',
      'arg -c',
      'arg echo\\s"a\\s\\sb"\\n-',
      'arg \\-',
      'tty',
      '',
    ]);
  });

  it('refuses a plan the helper could not run, as an internal error', () => {
    const bad = (over: Partial<ExecPlan>): unknown => {
      try {
        serializeExecPlan({ ...PLAN, ...over }, []);
        return undefined;
      } catch (err) {
        return err;
      }
    };
    for (const over of [{ args: [] }, { cwd: 'relative' }, { env: ['NOVALUE'] }, { target: { pid: 0, startTime: 1 } }, { args: ['a\0b'] }]) {
      const err = bad(over);
      expect(err, JSON.stringify(over)).toBeInstanceOf(TscError);
      expect((err as TscError).code).toBe('INTERNAL');
    }
    expect((bad({ cwd: 'relative' }) as Error).message).toBe('exec plan for `proj-web-1`: cwd `relative` is not an absolute path');
  });
});

describe.runIf(existsSync(HELPER))('the helper reads the exec plan the writer wrote', () => {
  it('round-trips every field', () => {
    const out = dump(serializeExecPlan({ ...PLAN, detach: true }, ['/cg/a', '/cg/b c']));
    expect(out.status).toBe(0);
    expect(out.json).toEqual({
      target: { pid: 4242, startTime: 991 },
      namespaces: Object.fromEntries(['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'].map((k) => [k, `/proc/4242/ns/${k === 'mount' ? 'mnt' : k}`])),
      cgroups: ['/cg/a', '/cg/b c'],
      rlimits: [{ type: 'RLIMIT_NOFILE', soft: '1024', hard: 'unlimited' }],
      user: { uid: 1000, gid: 1000 },
      groups: [1001, 5],
      capabilities: PLAN.capabilities,
      noNewPrivileges: true,
      umask: 0o022,
      cwd: '/srv/my app',
      env: PLAN.env,
      args: PLAN.args,
      tty: true,
      detach: true,
    });
  });

  it('a minimal plan: no capabilities, no groups, nothing joined', () => {
    const out = dump(serializeExecPlan({ ...PLAN, namespaces: [], capabilities: undefined, noNewPrivileges: false, user: { uid: 0, gid: 0, additionalGids: [] }, rlimits: [], tty: false }, []));
    expect(out.json).toMatchObject({ namespaces: {}, cgroups: [], capabilities: null, groups: [], rlimits: [], tty: false, detach: false });
  });

  it('reports a broken plan as a failure line naming the line', () => {
    const cases: [string, RegExp][] = [
      ['tsc-plan 1\n', /first line must be `tsc-exec 1`/],
      ['tsc-exec 1\narg sh\n', /`target` is missing/],
      ['tsc-exec 1\ntarget 1 2\n', /no `arg` given/],
      ['tsc-exec 1\ntarget 1 2\nnamespace user path /proc/1/ns/user\narg sh\n', /line 3 \(`namespace`\): unknown namespace kind/],
      ['tsc-exec 1\ntarget 1 2\nnamespace net new\narg sh\n', /expected `path <absolute path>`/],
      ['tsc-exec 1\ntarget 1 2\nrootfs /x\narg sh\n', /unknown key/],
      ['tsc-exec 1\ntarget 1 2\ncwd a\\qb\narg sh\n', /bad escape/],
    ];
    for (const [text, message] of cases) {
      const out = dump(text);
      expect(out.status, text).toBe(1);
      expect(out.json).toMatchObject({ ok: false, step: 'plan' });
      expect((out.json as { message: string }).message, text).toMatch(message);
    }
  });
});
