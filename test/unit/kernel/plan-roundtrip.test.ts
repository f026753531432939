import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CAPABILITIES, type LaunchPlan, type NamespaceKind, type RootfsStep } from '../../../src/kernel/launch-plan.js';
import { PLAN_FILE, serializePlan } from '../../../src/kernel/linux/plan-writer.js';
import { samplePlan } from './sample-plan.js';

// The TypeScript writer and the C parser must agree: the helper's `plan` command parses a plan and prints
// what it understood, which must be the plan that was written. Needs a C compiler, not root.
const ROOT = resolve(import.meta.dirname, '../../..');
const HELPER = join(ROOT, 'build/native/tsc-helper');
const ORDER: NamespaceKind[] = ['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'];

function helper(text: string): { status: number | null; json: unknown } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-plan-'));
  try {
    writeFileSync(join(dir, PLAN_FILE), text);
    const out = spawnSync(HELPER, ['plan', dir], { encoding: 'utf8' });
    return { status: out.status, json: JSON.parse(out.stdout) as unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function dumpedStep(s: RootfsStep): Record<string, unknown> {
  if (s.op === 'mount') return { op: s.op, destination: s.destination, type: s.type, source: s.source, flags: s.flags.join(','), data: s.data ?? '' };
  return { ...s };
}

/** What the helper prints for a plan, derived from the plan itself. */
function understood(plan: LaunchPlan): unknown {
  const byNumber = (caps: readonly string[]): string[] => [...caps].sort((a, b) => CAPABILITIES.indexOf(a as never) - CAPABILITIES.indexOf(b as never));
  const overlay = plan.rootfs.overlay;
  return {
    namespaces: Object.fromEntries(ORDER.filter((k) => plan.namespaces[k] !== undefined).map((k) => [k, plan.namespaces[k]])),
    rootfs: {
      path: plan.rootfs.path,
      overlay: overlay === undefined ? null : { lower: overlay.lowerdirs, upper: overlay.upperdir, work: overlay.workdir },
      propagation: plan.rootfs.propagation ?? null,
      readonly: plan.rootfs.readonly === true,
    },
    steps: plan.steps.map(dumpedStep),
    masked: plan.maskedPaths,
    readonly: plan.readonlyPaths,
    hostname: plan.hostname ?? null,
    domainname: plan.domainname ?? null,
    rlimits: plan.rlimits.map((r) => ({ type: r.type, soft: String(r.soft), hard: String(r.hard) })),
    user: plan.user === undefined ? null : { uid: plan.user.uid, gid: plan.user.gid },
    groups: plan.user === undefined ? null : plan.user.additionalGids,
    capabilities: plan.capabilities === undefined ? null : {
      bounding: byNumber(plan.capabilities.bounding), effective: byNumber(plan.capabilities.effective),
      permitted: byNumber(plan.capabilities.permitted), inheritable: byNumber(plan.capabilities.inheritable),
      ambient: byNumber(plan.capabilities.ambient),
    },
    noNewPrivileges: plan.noNewPrivileges,
    umask: plan.umask ?? null,
    cwd: plan.cwd,
    env: plan.env,
    args: plan.args,
    log: plan.logFile,
    exitFile: plan.exitFile,
    cgroups: plan.cgroups ?? [],
  };
}

describe('the helper parses what the plan writer writes', () => {
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'src/native/build.js')], { stdio: 'inherit' });
  });

  it('round-trips a plan that uses every record and every escape', () => {
    const plan = samplePlan();
    const out = helper(serializePlan(plan));
    expect(out.status).toBe(0);
    expect(out.json).toEqual(understood(plan));
  });

  it('round-trips a minimal plan', () => {
    const plan = samplePlan({
      namespaces: { mount: { mode: 'new' } }, rootfs: { path: '/r' }, steps: [], maskedPaths: [], readonlyPaths: [],
      hostname: undefined, domainname: undefined, rlimits: [], user: undefined, capabilities: undefined,
      noNewPrivileges: false, umask: undefined, cwd: '/', env: [], args: ['true'],
    });
    const out = helper(serializePlan(plan));
    expect(out.status).toBe(0);
    expect(out.json).toEqual(understood(plan));
  });

  it('round-trips stdin, a terminal with its size and the attach socket', () => {
    const base = samplePlan();
    const socket = '/var/lib/tscompose/containers/abc/attach sock';
    const cases: [Partial<typeof base>, Record<string, unknown>][] = [
      [{ stdin: 'once', attachSocket: socket }, { stdin: 'once', attachSocket: socket }],
      [{ stdin: 'open', terminal: { rows: 30, columns: 100 }, attachSocket: socket }, { stdin: 'open', terminal: { rows: 30, columns: 100 }, attachSocket: socket }],
      [{ terminal: {}, attachSocket: socket }, { terminal: {}, attachSocket: socket }],
    ];
    for (const [extra, dumped] of cases) {
      const text = serializePlan({ ...base, ...extra });
      const out = helper(text);
      expect(out.status).toBe(0);
      expect(out.json).toEqual({ ...(understood(base) as object), ...dumped });
    }
    expect(serializePlan({ ...base, stdin: 'once', terminal: { rows: 30, columns: 100 }, attachSocket: socket }))
      .toContain('\nstdin once\nterminal\nterminal-size 30 100\nattach /var/lib/tscompose/containers/abc/attach\\ssock\n');
    // Without them the plan has none of these records, and the helper none of these fields.
    expect(serializePlan(base)).not.toMatch(/^(stdin|terminal|terminal-size|attach)\b/m);
    expect(Object.keys(helper(serializePlan(base)).json as object)).not.toContain('attachSocket');
  });

  it('refuses stdin or a terminal without an attach socket, and bad sizes, on both sides', () => {
    const base = samplePlan();
    for (const bad of [{ stdin: 'once' as const }, { terminal: {} }, { attachSocket: '/s' }, { terminal: { rows: 0, columns: 80 }, attachSocket: '/s' },
      { terminal: { rows: 24 }, attachSocket: '/s' }, { stdin: 'open' as const, attachSocket: 'relative' }]) {
      expect(() => serializePlan({ ...base, ...bad })).toThrow(/launch plan/);
    }
    const text = serializePlan(base);
    for (const bad of ['stdin once', 'terminal', 'attach /s', 'stdin always\nattach /s', 'terminal-size 24 80\nattach /s',
      'terminal\nterminal-size 0 80\nattach /s', 'terminal\nattach relative']) {
      const out = helper(`${text}${bad}\n`);
      expect(out.status).toBe(1);
      expect(out.json).toMatchObject({ ok: false, step: 'plan' });
    }
  });

  it.each([
    ['an unknown key', 'frobnicate yes', 'plan line 3 (`frobnicate`): unknown key'],
    ['a bad escape', 'arg a\\qb', 'plan line 3: bad escape in field 1'],
    ['a missing field', 'user 1000', 'plan line 3 (`user`): wrong number of fields'],
    ['an unknown capability', 'capabilities bounding CAP_FLY', 'plan line 3 (`capabilities`): unknown capability'],
    ['an empty field', 'arg  x', 'plan line 3: empty field'],
  ])('reports %s with its line number', (_what, bad, message) => {
    const text = serializePlan(samplePlan()).replace('\n', `\n# comment\n${bad}\n`);
    const out = helper(text);
    expect(out.status).toBe(1);
    expect(out.json).toEqual({ ok: false, step: 'plan', errno: 22, errnoName: 'EINVAL', message });
  });

  it('refuses a plan without the version line', () => {
    const out = helper(serializePlan(samplePlan()).replace('tsc-plan 1\n', ''));
    expect(out.status).toBe(1);
    expect(out.json).toMatchObject({ ok: false, step: 'plan', message: 'plan: first line must be `tsc-plan 1`' });
  });
});
