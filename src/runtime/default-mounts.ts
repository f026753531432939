import type { RootfsStep } from '../kernel/launch-plan.js';

/** What Docker hides under /proc and /sys unless the container is privileged. */
export const DEFAULT_MASKED_PATHS: readonly string[] = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list',
  '/proc/timer_stats', '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];

/** What Docker makes read-only under /proc unless the container is privileged. */
export const DEFAULT_READONLY_PATHS: readonly string[] = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

/** The size of /dev and /dev/shm, as Docker's (64 MiB). */
export const DEFAULT_SHM_SIZE = 64 * 1024 * 1024;

const device = (path: string, major: number, minor: number): RootfsStep =>
  ({ op: 'device', path, type: 'c', major, minor, mode: 0o666, uid: 0, gid: 0 });

/**
 * The filesystems, devices and links every container gets, in Docker's order: /proc, a /dev tmpfs with
 * its devices, a private devpts, read-only sysfs (writable when privileged), mqueue and a 64 MiB /dev/shm.
 */
export function defaultSteps(options: { privileged: boolean }): RootfsStep[] {
  const kib = `${DEFAULT_SHM_SIZE / 1024}k`;
  return [
    { op: 'mount', destination: '/proc', type: 'proc', source: 'proc', flags: ['nosuid', 'noexec', 'nodev'] },
    { op: 'mount', destination: '/dev', type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'strictatime'], data: `mode=755,size=${kib}` },
    { op: 'mount', destination: '/dev/pts', type: 'devpts', source: 'devpts', flags: ['nosuid', 'noexec'], data: 'newinstance,ptmxmode=0666,mode=0620,gid=5' },
    { op: 'mount', destination: '/sys', type: 'sysfs', source: 'sysfs', flags: ['nosuid', 'noexec', 'nodev', options.privileged ? 'rw' : 'ro'] },
    { op: 'mount', destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', flags: ['nosuid', 'noexec', 'nodev'] },
    { op: 'mount', destination: '/dev/shm', type: 'tmpfs', source: 'shm', flags: ['nosuid', 'noexec', 'nodev'], data: `mode=1777,size=${kib}` },
    device('/dev/null', 1, 3), device('/dev/zero', 1, 5), device('/dev/full', 1, 7),
    device('/dev/random', 1, 8), device('/dev/urandom', 1, 9), device('/dev/tty', 5, 0),
    { op: 'symlink', target: '/proc/self/fd', path: '/dev/fd' },
    { op: 'symlink', target: '/proc/self/fd/0', path: '/dev/stdin' },
    { op: 'symlink', target: '/proc/self/fd/1', path: '/dev/stdout' },
    { op: 'symlink', target: '/proc/self/fd/2', path: '/dev/stderr' },
    { op: 'symlink', target: 'pts/ptmx', path: '/dev/ptmx' },
  ];
}
