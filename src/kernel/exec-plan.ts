/**
 * The exec plan: everything the native helper does to run one more process in a running container.
 * The runtime builds it from the container's record (a pure function); the helper runs it as given.
 * The wire format is in src/native/PROTOCOL.md ("Exec").
 */
import type { ProcessRef } from './kernel.js';
import type { NamespaceKind, ProcessSettings, ProcessUser } from './launch-plan.js';

/** Its rlimits, capabilities, no_new_privs, umask, cwd, env and args are those of a launch plan. */
export interface ExecPlan extends ProcessSettings {
  /** The container's name, for messages. */
  readonly name: string;
  /** A directory of the container the plan file may be written to (its bundle). */
  readonly dir: string;
  /** The container's first process: its namespaces are joined, and nothing runs if it is gone. */
  readonly target: ProcessRef;
  /** Namespaces of the target to join (never its user namespace); the others stay the caller's. */
  readonly namespaces: readonly NamespaceKind[];
  /** cgroup directories to join before anything else. Absent: those the target is in now. */
  readonly cgroups?: readonly string[];
  readonly user: ProcessUser;
  /** A pty from the container's devpts becomes the command's stdio and controlling terminal. */
  readonly tty: boolean;
  /** Return once the command exec'd; it keeps running with its output discarded. */
  readonly detach: boolean;
}

/** How the command's stdio is connected, and how long it may run. */
export interface ExecIo {
  /** `inherit`: the caller's stdin; `pipe`: `input`, then end of file; `ignore`: /dev/null. */
  readonly stdin: 'inherit' | 'ignore' | 'pipe';
  /** `capture`: returned, each stream cut to `maxOutputBytes`; `inherit`: the caller's; `ignore`: discarded. */
  readonly output: 'inherit' | 'capture' | 'ignore';
  readonly input?: string | Uint8Array;
  /** Default 4096. */
  readonly maxOutputBytes?: number;
  /** Then the command is killed (SIGKILL) and the outcome says `timedOut`. */
  readonly timeoutMs?: number;
  /** Aborting kills the command (SIGKILL). */
  readonly signal?: AbortSignal;
  /** Signals to pass on to the command while it runs (a CLI's own, for instance). */
  readonly signals?: SignalSource;
}

/** Where signals come from; subscribe returns the way to stop listening. */
export interface SignalSource {
  subscribe(listener: (signal: NodeJS.Signals) => void): () => void;
}

export interface ExecOutcome {
  /** The exec'd process as the host sees it. */
  readonly process: ProcessRef;
  /** Set when it exited (always 0 for a detached command); null when a signal ended it. */
  readonly exitCode: number | null;
  /** e.g. `SIGKILL`; null when it exited. */
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly stdout?: string;
  readonly stderr?: string;
}
