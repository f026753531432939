import type { LaunchPlan } from '../../../src/kernel/launch-plan.js';

/** A plan that uses every record of the wire format, with strings that need escaping. */
export function samplePlan(overrides: Partial<LaunchPlan> = {}): LaunchPlan {
  return {
    name: 'web 1',
    bundle: '/var/lib/tscompose/containers/abc',
    namespaces: {
      pid: { mode: 'new' }, mount: { mode: 'new' }, uts: { mode: 'new' }, ipc: { mode: 'new' },
      net: { mode: 'path', path: '/run/tscompose/netns/my net' }, cgroup: { mode: 'new' },
    },
    rootfs: {
      path: '/var/lib/tscompose/containers/abc/rootfs',
      overlay: { lowerdirs: ['/layers/b/fs', '/layers/a/fs'], upperdir: '/c/abc/upper', workdir: '/c/abc/work' },
      propagation: 'rslave',
      readonly: true,
    },
    steps: [
      { op: 'mount', destination: '/proc', type: 'proc', source: 'proc', flags: ['nosuid', 'noexec', 'nodev'] },
      { op: 'mount', destination: '/dev', type: 'tmpfs', source: 'tmpfs', flags: ['nosuid', 'strictatime'], data: 'mode=755,size=65536k' },
      { op: 'mount', destination: '/srv/my data', type: 'bind', source: '/home/me/with space\\and\\backslash', flags: ['rbind', 'ro', 'rprivate'] },
      { op: 'device', path: '/dev/null', type: 'c', major: 1, minor: 3, mode: 0o666, uid: 0, gid: 0 },
      { op: 'symlink', target: '/proc/self/fd', path: '/dev/fd' },
      { op: 'directory', path: '/work dir', mode: 0o750, uid: 1000, gid: 1000 },
    ],
    maskedPaths: ['/proc/kcore', '/sys/firmware'],
    readonlyPaths: ['/proc/sys'],
    hostname: 'web-1',
    domainname: 'example.test',
    rlimits: [{ type: 'RLIMIT_NOFILE', soft: 1024, hard: 'unlimited' }, { type: 'RLIMIT_CORE', soft: 0, hard: 0 }],
    user: { uid: 1000, gid: 1000, additionalGids: [10, 20] },
    capabilities: { bounding: ['CAP_KILL', 'CAP_CHOWN'], effective: ['CAP_CHOWN'], permitted: ['CAP_CHOWN', 'CAP_KILL'], inheritable: [], ambient: [] },
    noNewPrivileges: true,
    umask: 0o022,
    cwd: '/work dir',
    env: ['PATH=/usr/bin:/bin', 'MULTI=line one\nline two', 'TAB=a\tb', 'EMPTY=', 'UNICODE=héllo ✓'],
    args: ['sh', '-c', 'echo "$MULTI" \\ done', '', '-', '\\-', 'then\r'],
    logFile: '/var/lib/tscompose/containers/abc/container.log',
    exitFile: '/var/lib/tscompose/containers/abc/exit.json',
    cgroups: ['/sys/fs/cgroup/memory/tscompose/abc', '/sys/fs/cgroup/cpu,cpuacct/tscompose/abc', '/mnt/cgroup with space/abc'],
    ...overrides,
  };
}
