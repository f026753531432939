import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';
import { escapeField, serializePlan } from '../../../src/kernel/linux/plan-writer.js';
import { samplePlan } from './sample-plan.js';

function lines(plan: LaunchPlan): string[] {
  return serializePlan(plan).split('\n');
}

function rejection(plan: LaunchPlan): TscError {
  try {
    serializePlan(plan);
  } catch (err) {
    return err as TscError;
  }
  throw new Error('serializePlan accepted the plan');
}

describe('escapeField', () => {
  it('escapes the separators and leaves other text alone', () => {
    expect(escapeField('plain/path-1.2')).toBe('plain/path-1.2');
    expect(escapeField('a b')).toBe('a\\sb');
    expect(escapeField('back\\slash')).toBe('back\\\\slash');
    expect(escapeField('l1\nl2\tt\rr')).toBe('l1\\nl2\\tt\\rr');
    expect(escapeField('héllo ✓')).toBe('héllo\\s✓');
  });

  it('writes the empty string as `-` and a lone dash as `\\-`', () => {
    expect(escapeField('')).toBe('-');
    expect(escapeField('-')).toBe('\\-');
    expect(escapeField('--')).toBe('--');
  });
});

describe('serializePlan', () => {
  it('starts with the version line and ends with a newline', () => {
    const text = serializePlan(samplePlan());
    expect(text.startsWith('tsc-plan 1\n')).toBe(true);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\n\n');
  });

  it('writes namespaces in a fixed order whatever the order of the object', () => {
    const plan = samplePlan({ namespaces: { net: { mode: 'new' }, mount: { mode: 'new' }, pid: { mode: 'new' } }, hostname: undefined, domainname: undefined });
    expect(lines(plan).filter((l) => l.startsWith('namespace '))).toEqual(['namespace pid new', 'namespace mount new', 'namespace net new']);
    expect(lines(samplePlan())).toContain('namespace net path /run/tscompose/netns/my\\snet');
  });

  it('writes the cgroup directories to join, in order, right after the namespaces', () => {
    const all = lines(samplePlan());
    const at = all.findIndex((l) => l.startsWith('cgroup '));
    expect(all.slice(at, at + 3)).toEqual([
      'cgroup /sys/fs/cgroup/memory/tscompose/abc', 'cgroup /sys/fs/cgroup/cpu,cpuacct/tscompose/abc', 'cgroup /mnt/cgroup\\swith\\sspace/abc',
    ]);
    expect(all[at - 1]).toMatch(/^namespace /);
    expect(lines(samplePlan({ cgroups: undefined })).some((l) => l.startsWith('cgroup '))).toBe(false);
    expect(rejection(samplePlan({ cgroups: ['tscompose/abc'] }))).toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('cgroup directory `tscompose/abc` is not an absolute path') });
  });

  it('writes rootfs steps in plan order with escaped fields', () => {
    const steps = lines(samplePlan()).filter((l) => /^(mount|device|symlink|directory) /.test(l));
    expect(steps).toEqual([
      'mount /proc proc proc nosuid,noexec,nodev -',
      'mount /dev tmpfs tmpfs nosuid,strictatime mode=755,size=65536k',
      'mount /srv/my\\sdata bind /home/me/with\\sspace\\\\and\\\\backslash rbind,ro,rprivate -',
      'device /dev/null c 1 3 0666 0 0',
      'symlink /proc/self/fd /dev/fd',
      'directory /work\\sdir 0750 1000 1000',
    ]);
  });

  it('writes the overlay layers top first, and the process records', () => {
    const all = lines(samplePlan());
    expect(all.filter((l) => l.startsWith('overlay-'))).toEqual([
      'overlay-lower /layers/b/fs', 'overlay-lower /layers/a/fs', 'overlay-upper /c/abc/upper', 'overlay-work /c/abc/work',
    ]);
    expect(all).toEqual(expect.arrayContaining([
      'rootfs-propagation rslave', 'readonly-rootfs', 'rlimit RLIMIT_NOFILE 1024 unlimited', 'user 1000 1000', 'groups 10 20',
      'capabilities bounding CAP_KILL CAP_CHOWN', 'capabilities inheritable', 'no-new-privileges', 'umask 0022',
      'env MULTI=line\\sone\\nline\\stwo', 'env EMPTY=',
    ]));
    expect(all.filter((l) => l.startsWith('arg '))).toEqual(['arg sh', 'arg -c', 'arg echo\\s"$MULTI"\\s\\\\\\sdone', 'arg -', 'arg \\-', 'arg \\\\-', 'arg then\\r']);
  });

  it('leaves out what the plan does not set', () => {
    const all = lines(samplePlan({ user: undefined, capabilities: undefined, umask: undefined, noNewPrivileges: false, rootfs: { path: '/r' } }));
    for (const key of ['user', 'groups', 'capabilities', 'umask', 'no-new-privileges', 'overlay-lower', 'readonly-rootfs', 'rootfs-propagation']) {
      expect(all.filter((l) => l.split(' ')[0] === key)).toEqual([]);
    }
  });

  it.each<[string, Partial<LaunchPlan>, string]>([
    ['a relative cwd', { cwd: 'work' }, 'cwd `work` is not an absolute path'],
    ['a NUL byte', { args: ['sh', 'a\0b'] }, '`arg` holds a NUL byte'],
    ['no command', { args: [] }, 'no command to run'],
    ['an env entry without =', { env: ['FOO'] }, 'environment entry `FOO` has no `=`'],
    ['a hostname without a uts namespace', { namespaces: { mount: { mode: 'new' } } }, 'a hostname needs a new uts namespace'],
    ['a shared mount namespace', { namespaces: { uts: { mode: 'new' } } }, 'the rootfs needs a new mount namespace'],
    ['a mode out of range', { umask: 0o10000 }, 'umask 4096 is not a valid mode'],
    ['an unknown mount flag', { steps: [{ op: 'mount', destination: '/x', type: 'tmpfs', source: 'tmpfs', flags: ['size=1m' as 'ro'] }] }, 'mount `/x`: unknown flag `size=1m`'],
    ['an unknown capability', { capabilities: { bounding: ['CAP_FLY' as 'CAP_KILL'], effective: [], permitted: [], inheritable: [], ambient: [] } }, 'unknown capability `CAP_FLY`'],
    ['a negative rlimit', { rlimits: [{ type: 'RLIMIT_NOFILE', soft: -1, hard: 10 }] }, 'RLIMIT_NOFILE: bad limit -1'],
  ])('rejects %s as an internal error naming the container', (_what, overrides, message) => {
    const err = rejection(samplePlan(overrides));
    expect(err).toBeInstanceOf(TscError);
    expect(err.code).toBe('INTERNAL');
    expect(err.message).toBe(`launch plan of \`web 1\`: ${message}`);
    expect(err.hint).toBeDefined();
  });
});
