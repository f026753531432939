/**
 * What the supervisor's parts report: an action on a container (`die`, `start`, `health_status: healthy`, ...)
 * with attributes such as `exitCode`. The wiring turns these into the project's event log entries.
 */
export interface SupervisorEvent {
  readonly action: string;
  readonly id: string;
  /** RFC 3339; when the thing happened. */
  readonly time: string;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Resolves once the event is in the log, so what is written after it comes after it. */
export type SupervisorEventSink = (event: SupervisorEvent) => void | Promise<void>;
