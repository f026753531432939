/**
 * The per-project supervisor (DESIGN.md) hosts parts: healthchecks, restart policies, the DNS
 * responders of the project's networks and the published-port proxies. The CLI writes what the
 * project wants served to `<runtime-root>/projects/<project>/supervisor.json` (a {@link SupervisorConfig})
 * and asks the supervisor to reload; each part then brings what it serves in line with its section.
 */
export interface SupervisorPart {
  /** The config section this part owns, e.g. `health`, `restart`, `dns`, `ports`. */
  readonly section: string;
  /** Called at start and after every reload with the part's section (undefined when absent). */
  reconcile(section: unknown): Promise<void>;
  /** Stops everything the part runs (sockets, timers); called once when the supervisor ends. */
  close(): Promise<void>;
}

/** The file the CLI writes; each key is a part's section, owned and validated by that part. */
export interface SupervisorConfig {
  readonly version: 1;
  readonly project: string;
  readonly sections: Readonly<Record<string, unknown>>;
}
