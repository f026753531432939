import type { CgroupLimits } from './cgroup-limits.js';

/** What a container's cgroup has counted. */
export interface CgroupStats {
  /** Memory in use now, page cache included. */
  readonly memoryBytes: number;
  /** CPU time used, all CPUs together. */
  readonly cpuNanos: number;
  /** Tasks (processes and threads) in it now. */
  readonly pids: number;
  /** Processes the kernel's OOM killer ended in it. */
  readonly oomKills: number;
}

/**
 * The cgroups of containers, one backend per cgroup layout (v1, v2, none) as crun's table of
 * functions. Each container's cgroup is `<parent>/<name>` under each hierarchy the backend uses; the
 * native helper puts the container's process into it before it runs, so nothing here adds processes.
 *
 * `parent` is where the cgroups of new containers go. The runtime records it with each container and
 * passes it back to every later call, so a process whose own parent differs still finds that
 * container's cgroup; a call without one uses the manager's.
 */
export interface CgroupManager {
  readonly kind: 'v1' | 'v2' | 'none';
  /** The directory, under each hierarchy, of the cgroups this manager makes; absent when it makes none. */
  readonly parent?: string;
  /**
   * Makes the container's cgroup with these limits (a cgroup left from an earlier run is made afresh)
   * and returns the directories its process must join. Limits a backend cannot apply are refused.
   */
  create(name: string, limits: CgroupLimits, parent?: string): Promise<readonly string[]>;
  /** What the cgroup counted; undefined when it does not exist. */
  stats(name: string, parent?: string): Promise<CgroupStats | undefined>;
  /** Stops every task in it until thaw(). */
  freeze(name: string, parent?: string): Promise<void>;
  thaw(name: string, parent?: string): Promise<void>;
  /** Kills what is left in the cgroup and removes it (and its parent once that is empty). Removing a missing one does nothing. */
  remove(name: string, parent?: string): Promise<void>;
}

/** What a manager does beyond reading and writing cgroup files; tests replace it to stay off real processes. */
export interface CgroupHost {
  /** Sends SIGKILL to a task left in a cgroup being removed; a task already gone is no error. */
  kill(pid: number): void;
  /** Removes a cgroup directory: an rmdir, as the kernel removes its control files with it. */
  removeDir(path: string): Promise<void>;
  sleep(ms: number): Promise<void>;
}
