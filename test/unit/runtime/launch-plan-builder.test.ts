import { describe, expect, it } from 'vitest';
import type { MountStep } from '../../../src/kernel/launch-plan.js';
import { containerPaths } from '../../../src/runtime/container-paths.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS } from '../../../src/runtime/default-mounts.js';
import { DEFAULT_PATH } from '../../../src/runtime/environment.js';
import { buildLaunchPlan, type PlanContext } from '../../../src/runtime/launch-plan-builder.js';
import { StatePaths } from '../../../src/state/paths.js';
import { HOST } from './runtime-fixture.js';

const ID = `abcdef012345${'6'.repeat(52)}`;
const PATHS = containerPaths(new StatePaths({ dataRoot: '/data', runtimeRoot: '/run/t' }), ID);
const ROOT_USER = { uid: 0, gid: 0, additionalGids: [], home: '/root' };
const CONTEXT: PlanContext = { id: ID, user: ROOT_USER, host: HOST };

const spec = (overrides: Partial<ContainerSpec> = {}, process: Partial<ContainerSpec['process']> = {}): ContainerSpec => ({
  name: 'proj-web-1',
  labels: { a: 'b' },
  image: { reference: 'busybox:latest' },
  rootfs: { path: '/data/snapshots/1/merged' },
  process: { args: ['probe', 'report'], ...process },
  ...overrides,
});

const mounts = (steps: readonly { op: string }[]): MountStep[] => steps.filter((s): s is MountStep => s.op === 'mount');

describe('buildLaunchPlan', () => {
  const plan = buildLaunchPlan(spec(), PATHS, CONTEXT);

  it('names the container and puts its files under containers/<id>/', () => {
    expect(plan.name).toBe('proj-web-1');
    expect(plan.bundle).toBe(`/data/containers/${ID}/bundle`);
    expect(plan.logFile).toBe(`/data/containers/${ID}/container.log`);
    expect(plan.exitFile).toBe(`/data/containers/${ID}/exit.json`);
  });

  it('gives new pid, mount, ipc, cgroup, uts and net namespaces, and the short id as hostname', () => {
    expect(plan.namespaces).toEqual({ pid: { mode: 'new' }, mount: { mode: 'new' }, ipc: { mode: 'new' }, cgroup: { mode: 'new' }, uts: { mode: 'new' }, net: { mode: 'new' } });
    expect(plan.hostname).toBe('abcdef012345');
    expect(plan.domainname).toBeUndefined();
  });

  it('mounts Docker\'s filesystems in Docker\'s order, with its devices and /dev links', () => {
    expect(mounts(plan.steps).map((m) => [m.destination, m.type, m.flags.join(','), m.data ?? ''])).toEqual([
      ['/proc', 'proc', 'nosuid,noexec,nodev', ''],
      ['/dev', 'tmpfs', 'nosuid,strictatime', 'mode=755,size=65536k'],
      ['/dev/pts', 'devpts', 'nosuid,noexec', 'newinstance,ptmxmode=0666,mode=0620,gid=5'],
      ['/sys', 'sysfs', 'nosuid,noexec,nodev,ro', ''],
      ['/dev/mqueue', 'mqueue', 'nosuid,noexec,nodev', ''],
      ['/dev/shm', 'tmpfs', 'nosuid,noexec,nodev', 'mode=1777,size=65536k'],
    ]);
    const devices = plan.steps.flatMap((s) => (s.op === 'device' ? [`${s.path} ${s.type} ${s.major}:${s.minor} ${s.mode.toString(8)}`] : []));
    expect(devices).toEqual(['/dev/null c 1:3 666', '/dev/zero c 1:5 666', '/dev/full c 1:7 666', '/dev/random c 1:8 666', '/dev/urandom c 1:9 666', '/dev/tty c 5:0 666']);
    const links = plan.steps.flatMap((s) => (s.op === 'symlink' ? [`${s.path} -> ${s.target}`] : []));
    expect(links).toEqual(['/dev/fd -> /proc/self/fd', '/dev/stdin -> /proc/self/fd/0', '/dev/stdout -> /proc/self/fd/1', '/dev/stderr -> /proc/self/fd/2', '/dev/ptmx -> pts/ptmx']);
  });

  it('masks and write-protects Docker\'s paths', () => {
    expect(plan.maskedPaths).toEqual(DEFAULT_MASKED_PATHS);
    expect(plan.maskedPaths).toHaveLength(11);
    expect(plan.maskedPaths).toContain('/sys/devices/virtual/powercap');
    expect(plan.readonlyPaths).toEqual(DEFAULT_READONLY_PATHS);
    expect(plan.readonlyPaths).toEqual(['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger']);
  });

  it('runs the command as root in / with PATH, HOSTNAME and HOME, umask 022 and the default limits', () => {
    expect(plan.args).toEqual(['probe', 'report']);
    expect(plan.cwd).toBe('/');
    expect(plan.user).toEqual({ uid: 0, gid: 0, additionalGids: [] });
    expect(plan.env).toEqual([`PATH=${DEFAULT_PATH}`, 'HOSTNAME=abcdef012345', 'HOME=/root']);
    expect(plan.umask).toBe(0o022);
    expect(plan.rlimits).toEqual([{ type: 'RLIMIT_NOFILE', soft: 20_000, hard: 20_000 }]);
    expect(plan.noNewPrivileges).toBe(false);
    expect(plan.capabilities?.bounding).toHaveLength(14);
    expect(plan.rootfs).toEqual({ path: '/data/snapshots/1/merged', readonly: false });
  });

  it('lets the spec\'s environment replace the defaults in place and keep its own order', () => {
    const p = buildLaunchPlan(spec({}, { env: ['A=1', 'PATH=/bin', 'HOME=/h', 'A=2', 'EMPTY='] }), PATHS, CONTEXT);
    expect(p.env).toEqual(['PATH=/bin', 'HOSTNAME=abcdef012345', 'A=2', 'HOME=/h', 'EMPTY=']);
    expect(() => buildLaunchPlan(spec({}, { env: ['NOVALUE'] }), PATHS, CONTEXT)).toThrow(/environment entry "NOVALUE" is not KEY=VALUE/);
  });

  it('takes hostname, domainname, cwd, umask, user and no_new_privs from the spec', () => {
    const user = { uid: 1000, gid: 1000, additionalGids: [1001], home: '/home/user' };
    const p = buildLaunchPlan(spec({ hostname: 'web', domainname: 'example.org', noNewPrivileges: true }, { cwd: '/srv', umask: 0o077 }), PATHS, { ...CONTEXT, user });
    expect([p.hostname, p.domainname, p.cwd, p.umask, p.noNewPrivileges]).toEqual(['web', 'example.org', '/srv', 0o077, true]);
    expect(p.user).toEqual({ uid: 1000, gid: 1000, additionalGids: [1001] });
    expect(p.env).toContain('HOSTNAME=web');
    expect(p.env).toContain('HOME=/home/user');
  });

  it('joins a network namespace by path, or stays in the host\'s with its hostname', () => {
    const joined = buildLaunchPlan(spec({ network: { path: '/run/t/netns/abc' } }), PATHS, CONTEXT);
    expect(joined.namespaces.net).toEqual({ mode: 'path', path: '/run/t/netns/abc' });
    const host = buildLaunchPlan(spec({ network: 'host' }), PATHS, CONTEXT);
    expect(host.namespaces.net).toBeUndefined();
    expect(host.namespaces.uts).toBeUndefined();
    expect(host.hostname).toBeUndefined();
    expect(host.env.some((e) => e.startsWith('HOSTNAME='))).toBe(false);
    expect(buildLaunchPlan(spec({ network: 'host', hostname: 'h' }), PATHS, CONTEXT).namespaces.uts).toEqual({ mode: 'new' });
  });

  it('appends the spec\'s mounts in order after the defaults, replacing a default at the same place', () => {
    const p = buildLaunchPlan(spec({
      mounts: [
        { type: 'bind', source: '/srv/app', target: '/app', readonly: true },
        { type: 'volume', name: 'data', source: '/data/volumes/data/_data', target: '/var/lib/data' },
        { type: 'tmpfs', target: '/dev/shm', sizeBytes: 1 << 20 },
        { type: 'bind', source: '/srv/one', target: '/one', recursive: false, propagation: 'rslave' },
        { type: 'tmpfs', target: '/run', mode: 0o755, readonly: true },
      ],
    }), PATHS, CONTEXT);
    const all = mounts(p.steps);
    expect(all.filter((m) => m.destination === '/dev/shm')).toHaveLength(1);
    expect(all.slice(-5).map((m) => [m.destination, m.type, m.source, m.flags.join(','), m.data ?? ''])).toEqual([
      ['/app', 'bind', '/srv/app', 'rbind,rprivate,ro', ''],
      ['/var/lib/data', 'bind', '/data/volumes/data/_data', 'rbind,rprivate', ''],
      ['/dev/shm', 'tmpfs', 'tmpfs', 'nosuid,nodev,noexec', 'mode=1777,size=1048576'],
      ['/one', 'bind', '/srv/one', 'bind,rslave', ''],
      ['/run', 'tmpfs', 'tmpfs', 'nosuid,nodev,noexec,ro', 'mode=0755'],
    ]);
  });

  it('refuses relative mount paths and bad tmpfs options', () => {
    expect(() => buildLaunchPlan(spec({ mounts: [{ type: 'bind', source: 'rel', target: '/x' }] }), PATHS, CONTEXT)).toThrow(/mount source "rel" is not an absolute path/);
    expect(() => buildLaunchPlan(spec({ mounts: [{ type: 'tmpfs', target: 'x' }] }), PATHS, CONTEXT)).toThrow(/mount target "x"/);
    expect(() => buildLaunchPlan(spec({ mounts: [{ type: 'tmpfs', target: '/x', sizeBytes: 0 }] }), PATHS, CONTEXT)).toThrow(/size 0/);
    expect(() => buildLaunchPlan(spec({ mounts: [{ type: 'tmpfs', target: '/x', mode: 0o10000 }] }), PATHS, CONTEXT)).toThrow(/mode 4096/);
  });

  it('gives a privileged container the host\'s capabilities, writable /sys and no masked or read-only paths', () => {
    const p = buildLaunchPlan(spec({ capabilities: { privileged: true } }), PATHS, CONTEXT);
    expect(p.capabilities?.bounding).toEqual(HOST.capabilities);
    expect(p.maskedPaths).toEqual([]);
    expect(p.readonlyPaths).toEqual([]);
    expect(mounts(p.steps).find((m) => m.destination === '/sys')?.flags).toContain('rw');
  });

  it('passes a read-only overlay rootfs through', () => {
    const overlay = { lowerdirs: ['/l2', '/l1'], upperdir: '/u', workdir: '/w' };
    const p = buildLaunchPlan(spec({ rootfs: { path: '/m', overlay, propagation: 'rslave' }, readonlyRootfs: true }), PATHS, CONTEXT);
    expect(p.rootfs).toEqual({ path: '/m', overlay, propagation: 'rslave', readonly: true });
  });

  it('refuses a spec without a command or with a relative working directory, and bad limits', () => {
    expect(() => buildLaunchPlan(spec({}, { args: [] }), PATHS, CONTEXT)).toThrow(expect.objectContaining({ code: 'CONTAINER_START', message: 'no command specified' }));
    expect(() => buildLaunchPlan(spec({}, { cwd: 'srv' }), PATHS, CONTEXT)).toThrow(/working directory "srv"/);
    expect(() => buildLaunchPlan(spec({ rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1, hard: 99_999 }] }), PATHS, CONTEXT)).toThrow(/hard limit 99999/);
  });

  it('is a pure function of its inputs', () => {
    expect(buildLaunchPlan(spec(), PATHS, CONTEXT)).toEqual(plan);
  });
});
