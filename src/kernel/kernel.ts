import type { ExecIo, ExecOutcome, ExecPlan } from './exec-plan.js';
import type { LaunchPlan } from './launch-plan.js';

/** A process named for good: a pid alone may be reused, a pid with its start time may not. */
export interface ProcessRef {
  readonly pid: number;
  /** Field 22 of /proc/<pid>/stat, clock ticks after boot. */
  readonly startTime: number;
}

export interface LaunchResult {
  /** The container's first process, as the host sees it. */
  readonly container: ProcessRef;
  /** The detached monitor that is its parent; it writes the log and the exit file. */
  readonly monitor: ProcessRef;
}

/** How the container's first process ended, as the monitor recorded it. */
export interface ExitStatus {
  readonly pid: number;
  readonly startTime: number;
  /** Set when it exited; null when a signal ended it. */
  readonly exitCode: number | null;
  /** e.g. `SIGKILL`; null when it exited. */
  readonly signal: string | null;
  readonly coreDumped: boolean;
  /** RFC 3339 with nanoseconds. */
  readonly time: string;
  /** True when the kernel's OOM killer ended it (the runtime finds this in the container's cgroup, not the monitor). */
  readonly oomKilled?: boolean;
}

/** What the helper says about a failed launch; the `cause` of the TscError that launch() throws. */
export interface LaunchFailure {
  /** The step that failed: `namespace`, `rootfs`, `mount`, `device`, `pivot_root`, `user`, `capabilities`, `exec`, ... */
  readonly step: string;
  readonly errno: number;
  /** e.g. `EPERM`; empty when not a system error. */
  readonly errnoName: string;
  readonly message: string;
}

export interface LaunchOptions {
  readonly signal?: AbortSignal;
  /** Deadline of the helper; default set by the implementation. */
  readonly timeoutMs?: number;
}

/** The boundary between tscompose and the machine for running containers. */
export interface Kernel {
  /** Starts the container of the plan under a detached monitor; resolves once its process has exec'd. */
  launch(plan: LaunchPlan, options?: LaunchOptions): Promise<LaunchResult>;
  /** Whether the process still runs (a zombie does not). */
  processAlive(ref: ProcessRef): Promise<boolean>;
  /** Sends a signal if the process is still the one named; false when it is gone. */
  signal(ref: ProcessRef, signal: NodeJS.Signals): Promise<boolean>;
  /** The exit status the monitor wrote, or undefined while there is none. */
  readExit(exitFile: string): Promise<ExitStatus | undefined>;
  /**
   * Runs one more process in a running container as the plan says; resolves when it ended (or, detached,
   * once it exec'd). Throws EXEC_FAILED naming the step when it cannot be started, CONTAINER_BAD_STATE when
   * the target is gone. Optional: a kernel without it cannot exec.
   */
  exec?(plan: ExecPlan, io: ExecIo): Promise<ExecOutcome>;
}
