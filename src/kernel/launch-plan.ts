/**
 * The launch plan: everything the native helper does to start one container, in the order it does it.
 * The runtime builds it from a container spec (a pure function); the helper runs it as given and
 * decides nothing. The wire format is in src/native/PROTOCOL.md.
 */

export type NamespaceKind = 'pid' | 'mount' | 'uts' | 'ipc' | 'net' | 'cgroup';

/** A new namespace, or an existing one joined by path (e.g. a bind-mounted netns). Absent: the host's. */
export type NamespaceSetting = { readonly mode: 'new' } | { readonly mode: 'path'; readonly path: string };

export const PROPAGATIONS = ['private', 'rprivate', 'slave', 'rslave', 'shared', 'rshared', 'unbindable', 'runbindable'] as const;
export type Propagation = (typeof PROPAGATIONS)[number];

/** Mount flags the helper knows by name; anything else is filesystem data (`MountStep.data`). */
export const MOUNT_FLAGS = [
  'ro', 'rw', 'nosuid', 'suid', 'nodev', 'dev', 'noexec', 'exec', 'sync', 'async', 'dirsync', 'mand', 'nomand',
  'noatime', 'atime', 'nodiratime', 'diratime', 'relatime', 'norelatime', 'strictatime', 'nostrictatime',
  'bind', 'rbind', ...PROPAGATIONS,
] as const;
export type MountFlag = (typeof MOUNT_FLAGS)[number];

export const CAPABILITIES = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT',
  'CAP_SYS_PTRACE', 'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE',
  'CAP_SYS_TIME', 'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL',
  'CAP_SETFCAP', 'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND',
  'CAP_AUDIT_READ', 'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const RLIMIT_TYPES = [
  'RLIMIT_AS', 'RLIMIT_CORE', 'RLIMIT_CPU', 'RLIMIT_DATA', 'RLIMIT_FSIZE', 'RLIMIT_LOCKS', 'RLIMIT_MEMLOCK',
  'RLIMIT_MSGQUEUE', 'RLIMIT_NICE', 'RLIMIT_NOFILE', 'RLIMIT_NPROC', 'RLIMIT_RSS', 'RLIMIT_RTPRIO',
  'RLIMIT_RTTIME', 'RLIMIT_SIGPENDING', 'RLIMIT_STACK',
] as const;
export type RlimitType = (typeof RLIMIT_TYPES)[number];

export interface OverlayRootfs {
  /** Top layer first, as overlayfs wants them. */
  readonly lowerdirs: readonly string[];
  readonly upperdir: string;
  readonly workdir: string;
}

export interface RootfsPlan {
  /** Host directory that becomes `/`; with `overlay`, the overlay is mounted on it first. */
  readonly path: string;
  readonly overlay?: OverlayRootfs;
  /** Propagation of the container's mounts; default `rprivate`. */
  readonly propagation?: Propagation;
  readonly readonly?: boolean;
}

/** Paths of steps are inside the container; they are resolved within the rootfs (symlinks cannot escape). */
export interface MountStep {
  readonly op: 'mount';
  readonly destination: string;
  /** Filesystem type, or `bind` (then `source` is a host path). */
  readonly type: string;
  readonly source: string;
  readonly flags: readonly MountFlag[];
  /** Filesystem options, e.g. `mode=755,size=65536k`. */
  readonly data?: string;
}

export interface DeviceStep {
  readonly op: 'device';
  readonly path: string;
  readonly type: 'c' | 'b' | 'p';
  readonly major: number;
  readonly minor: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface SymlinkStep {
  readonly op: 'symlink';
  readonly target: string;
  readonly path: string;
}

/** A directory created with this mode and owner if missing (an existing one is left alone). */
export interface DirectoryStep {
  readonly op: 'directory';
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export type RootfsStep = MountStep | DeviceStep | SymlinkStep | DirectoryStep;

export interface CapabilitySets {
  readonly bounding: readonly Capability[];
  readonly effective: readonly Capability[];
  readonly permitted: readonly Capability[];
  readonly inheritable: readonly Capability[];
  readonly ambient: readonly Capability[];
}

export interface Rlimit {
  readonly type: RlimitType;
  readonly soft: number | 'unlimited';
  readonly hard: number | 'unlimited';
}

export interface ProcessUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids: readonly number[];
}

/** What the process is made of just before exec, the same for a container's first process and an exec'd one. */
export interface ProcessSettings {
  readonly rlimits: readonly Rlimit[];
  /** Absent: capabilities are left as they are (all of them). */
  readonly capabilities?: CapabilitySets;
  readonly noNewPrivileges: boolean;
  readonly umask?: number;
  readonly cwd: string;
  /** `KEY=VALUE` entries, the whole environment; argv[0] is looked up in its PATH. */
  readonly env: readonly string[];
  readonly args: readonly string[];
}

export interface LaunchPlan extends ProcessSettings {
  /** The container's name, for messages. */
  readonly name: string;
  /** Directory the plan file is written to (beside the OCI config.json). */
  readonly bundle: string;
  readonly namespaces: Readonly<Partial<Record<NamespaceKind, NamespaceSetting>>>;
  readonly rootfs: RootfsPlan;
  /** Run in order before pivot_root. */
  readonly steps: readonly RootfsStep[];
  /** Hidden after pivot_root (files under /dev/null, directories under a read-only tmpfs), if they exist. */
  readonly maskedPaths: readonly string[];
  readonly readonlyPaths: readonly string[];
  readonly hostname?: string;
  readonly domainname?: string;
  /** Absent: stay uid 0 with the caller's groups. */
  readonly user?: ProcessUser;
  /** Where the monitor writes stdout/stderr records (CRI log format, see PROTOCOL.md). */
  readonly logFile: string;
  /** Where the monitor writes the exit status, atomically. */
  readonly exitFile: string;
  /**
   * cgroup directories (one per v1 hierarchy, or the one v2 directory) the container's process joins
   * before anything else, so all it does is counted and limited. Absent or empty: it stays in the
   * cgroups of whoever launched it.
   */
  readonly cgroups?: readonly string[];
  /** PID 1 is a reaping init that forwards signals to the command, run as its child. */
  readonly init?: boolean;
  /** Written under /proc/sys (`net.ipv4.ip_forward` → /proc/sys/net/ipv4/ip_forward) before it is made read-only. */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Rotation of the log file; absent: it grows without limit. */
  readonly logRotation?: LogRotation;
  /**
   * The container's stdin without a terminal: absent /dev/null; `open` a pipe the monitor keeps open and
   * feeds with what attached clients send; `once` the same, closed when the first client ends its input.
   */
  readonly stdin?: StdinMode;
  /** A pty of the container's own devpts as its stdin, stdout, stderr and controlling terminal; logged as stdout. */
  readonly terminal?: TerminalPlan;
  /** Host path of the monitor's attach socket (AF_UNIX); required with `stdin` or `terminal`, and only then. */
  readonly attachSocket?: string;
}

export type StdinMode = 'open' | 'once';

/** The terminal's first window size; absent: the kernel's (0×0) until a client sets one. */
export interface TerminalPlan {
  readonly rows?: number;
  readonly columns?: number;
}

/** The log is rotated once it holds maxSizeBytes: `<log>` → `<log>.1` → … ; maxFiles files are kept in all. */
export interface LogRotation {
  readonly maxSizeBytes: number;
  readonly maxFiles: number;
}
