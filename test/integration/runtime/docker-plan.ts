import { join } from 'node:path';
import type { Capability, LaunchPlan, RootfsStep } from '../../../src/kernel/launch-plan.js';

/** Docker's 14 default capabilities. */
export const DOCKER_CAPABILITIES: readonly Capability[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_FSETID', 'CAP_FOWNER', 'CAP_MKNOD', 'CAP_NET_RAW', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETFCAP', 'CAP_SETPCAP', 'CAP_NET_BIND_SERVICE', 'CAP_SYS_CHROOT', 'CAP_KILL', 'CAP_AUDIT_WRITE',
];

export const DOCKER_MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];

export const DOCKER_READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

const dev = (path: string, major: number, minor: number): RootfsStep => ({ op: 'device', path, type: 'c', major, minor, mode: 0o666, uid: 0, gid: 0 });

/** The mounts, devices and links Docker gives every container, in order. */
export const DOCKER_STEPS: readonly RootfsStep[] = [
  { op: 'mount', destination: '/proc', type: 'proc', source: 'proc', flags: ['nosuid', 'noexec', 'nodev'] },
  { op: 'mount', destination: '/dev', type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'strictatime'], data: 'mode=755,size=65536k' },
  { op: 'mount', destination: '/dev/pts', type: 'devpts', source: 'devpts', flags: ['nosuid', 'noexec'], data: 'newinstance,ptmxmode=0666,mode=0620,gid=5' },
  { op: 'mount', destination: '/sys', type: 'sysfs', source: 'sysfs', flags: ['nosuid', 'noexec', 'nodev', 'ro'] },
  { op: 'mount', destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', flags: ['nosuid', 'noexec', 'nodev'] },
  { op: 'mount', destination: '/dev/shm', type: 'tmpfs', source: 'shm', flags: ['nosuid', 'noexec', 'nodev'], data: 'mode=1777,size=65536k' },
  dev('/dev/null', 1, 3), dev('/dev/zero', 1, 5), dev('/dev/full', 1, 7),
  dev('/dev/random', 1, 8), dev('/dev/urandom', 1, 9), dev('/dev/tty', 5, 0),
  { op: 'symlink', target: '/proc/self/fd', path: '/dev/fd' },
  { op: 'symlink', target: '/proc/self/fd/0', path: '/dev/stdin' },
  { op: 'symlink', target: '/proc/self/fd/1', path: '/dev/stdout' },
  { op: 'symlink', target: '/proc/self/fd/2', path: '/dev/stderr' },
  { op: 'symlink', target: 'pts/ptmx', path: '/dev/ptmx' },
];

export interface TestPlanOptions {
  readonly name: string;
  readonly bundle: string;
  readonly rootfs: string;
  readonly args: readonly string[];
}

/** A plan as Docker would run a container by default (new namespaces everywhere, an empty network). */
export function dockerPlan(o: TestPlanOptions, overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    name: o.name,
    bundle: o.bundle,
    namespaces: { pid: { mode: 'new' }, mount: { mode: 'new' }, uts: { mode: 'new' }, ipc: { mode: 'new' }, net: { mode: 'new' } },
    rootfs: { path: o.rootfs },
    steps: DOCKER_STEPS,
    maskedPaths: DOCKER_MASKED_PATHS,
    readonlyPaths: DOCKER_READONLY_PATHS,
    hostname: o.name,
    rlimits: [],
    user: { uid: 0, gid: 0, additionalGids: [] },
    capabilities: { bounding: DOCKER_CAPABILITIES, effective: DOCKER_CAPABILITIES, permitted: DOCKER_CAPABILITIES, inheritable: [], ambient: [] },
    noNewPrivileges: false,
    cwd: '/',
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    args: o.args,
    logFile: join(o.bundle, 'container.log'),
    exitFile: join(o.bundle, 'exit.json'),
    ...overrides,
  };
}
