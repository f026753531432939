import type { CgroupLimits } from '../cgroups/cgroup-limits.js';
import type { Propagation, RlimitType, RootfsPlan } from '../kernel/launch-plan.js';

/**
 * What the runtime is asked to run: one container, described in the terms of the OCI runtime spec
 * (process, root, mounts, hostname, namespaces, capabilities, rlimits) and nothing of Compose.
 * Everything here is intent; {@link buildLaunchPlan} turns it, with what create() resolved, into a plan.
 */
export interface ContainerSpec {
  /** Unique among containers, e.g. `proj-web-1`. */
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The image as the user named it, and its manifest digest: recorded, never resolved here. */
  readonly image: { readonly reference: string; readonly digest?: string };
  /** The root filesystem: a directory, or an overlay of the image's layers and the container's own upper dir. */
  readonly rootfs: Omit<RootfsPlan, 'readonly'>;
  readonly readonlyRootfs?: boolean;
  readonly process: ProcessSpec;
  /** Default: the short container id (the host's own name with `network: 'host'`). */
  readonly hostname?: string;
  readonly domainname?: string;
  readonly capabilities?: CapabilityIntent;
  readonly mounts?: readonly MountSpec[];
  /** Limits as `ulimits:` gives them; a limit above the host's hard limit is refused at create. */
  readonly rlimits?: readonly RlimitSpec[];
  readonly noNewPrivileges?: boolean;
  /** Run a reaping init as PID 1 that forwards signals to the command (as `docker run --init`). */
  readonly init?: boolean;
  /** Default SIGTERM. */
  readonly stopSignal?: NodeJS.Signals;
  /** Between the stop signal and SIGKILL; default 10 s. */
  readonly stopGracePeriodMs?: number;
  /** Default `none`: a network namespace of its own with only `lo`. */
  readonly network?: NetworkSpec;
  /**
   * Namespaced sysctls only (IPC ones, `fs.mqueue.*`, and `net.*` with a network namespace of its own);
   * others are refused at create with SYSCTL_NOT_ALLOWED. Written inside the container before it runs.
   */
  readonly sysctls?: Readonly<Record<string, string>>;
  /** Memory, CPU and pids limits, applied through the container's own cgroup. */
  readonly resources?: CgroupLimits;
  /** Log rotation (as json-file's max-size and max-file); each default: 10 MiB and 3 files. maxSizeBytes 0: never rotated. */
  readonly log?: { readonly maxSizeBytes?: number; readonly maxFiles?: number };
  /** Standard input: 'none' (default) is /dev/null; 'open' a pipe kept open and fed by attached clients (`stdin_open`); 'once' the same, closed when the first attached client leaves (`run -i`). */
  readonly stdin?: 'none' | 'open' | 'once';
  /** A pseudo-terminal of the container's own devpts as its stdin, stdout and stderr (`tty`); its output is logged as stdout. */
  readonly tty?: boolean;
  /** With tty: the terminal's first window size (docker's ConsoleSize), so the command never sees 0×0. */
  readonly ttySize?: { readonly rows: number; readonly columns: number };
}

export interface ProcessSpec {
  /** argv; argv[0] is looked up in the container's PATH. */
  readonly args: readonly string[];
  /** `KEY=VALUE` entries; PATH, HOSTNAME and HOME get defaults when absent. */
  readonly env?: readonly string[];
  /** Absolute; default `/`. */
  readonly cwd?: string;
  /** `name`, `uid`, `name:group`, `uid:gid`, ... resolved from the image's /etc/passwd and /etc/group; or ids. Default root. */
  readonly user?: string | NumericUser;
  /** More supplementary groups, by name or id (`group_add`). */
  readonly additionalGroups?: readonly (string | number)[];
  readonly umask?: number;
}

export interface NumericUser {
  readonly uid: number;
  readonly gid: number;
  readonly additionalGids?: readonly number[];
}

/** Capability names with or without `CAP_`, any case; `ALL` in either list means every capability. */
export interface CapabilityIntent {
  readonly add?: readonly string[];
  readonly drop?: readonly string[];
  /** Every capability the host holds, no masked or read-only paths, /sys writable. */
  readonly privileged?: boolean;
}

export type MountSpec = BindMountSpec | TmpfsMountSpec | VolumeMountSpec;

export interface BindMountSpec {
  readonly type: 'bind';
  /** Absolute host path; it must exist. */
  readonly source: string;
  readonly target: string;
  readonly readonly?: boolean;
  /** Default `rprivate`. */
  readonly propagation?: Propagation;
  /** Default true (`rbind`): mounts under the source come along. */
  readonly recursive?: boolean;
}

export interface TmpfsMountSpec {
  readonly type: 'tmpfs';
  readonly target: string;
  readonly sizeBytes?: number;
  /** Default 0o1777. */
  readonly mode?: number;
  readonly readonly?: boolean;
  /** More tmpfs options passed as filesystem data, e.g. `uid=1000`, `nr_inodes=1k`. */
  readonly options?: readonly string[];
}

/** A named volume, already resolved by its owner to a host directory: mounted as a bind. */
export interface VolumeMountSpec {
  readonly type: 'volume';
  /** The volume's name, for records. */
  readonly name: string;
  /** Host directory holding the volume's data. */
  readonly source: string;
  readonly target: string;
  readonly readonly?: boolean;
  /** The local driver's `type: tmpfs`: a fresh tmpfs with these settings is mounted instead of `source`. */
  readonly tmpfs?: { readonly sizeBytes?: number; readonly mode?: number; readonly options?: readonly string[] };
}

export interface RlimitSpec {
  readonly type: RlimitType;
  readonly soft: number | 'unlimited';
  readonly hard: number | 'unlimited';
}

export type NetworkSpec = 'none' | 'host' | { readonly path: string };
