/** How far a container's log has been printed: the time of the last record printed and how many records of that millisecond were. */
export interface PrintedUpTo {
  readonly time: number;
  readonly count: number;
}

/** How to read one container's log for one attachment. */
export interface Attachment {
  readonly id: string;
  /** Only the last N records already written (the containers present when following began). */
  readonly tail?: number;
  /** Only records at or after this time (ms since the epoch). */
  readonly sinceMs?: number;
  /** The first records at `sinceMs` that were printed already: skip them. */
  readonly skip: number;
}

/** The part of a project event the follower looks at. */
export interface FollowEvent {
  readonly time: string;
  readonly action: string;
  readonly id: string;
}

interface Followed {
  active: boolean;
  printed?: PrintedUpTo;
}

/**
 * Which containers `logs -f` follows and where each one's log was printed up to, so that no line is
 * printed twice however a container is reached: found when following began (its last `tail` lines),
 * started later (a `start` event of a container not seen yet: every line, as `--tail` only applies to
 * the containers present at the beginning), or started again (resumed after the last line printed).
 * Pure bookkeeping: reading the logs is the caller's.
 */
export class FollowedLogs {
  private readonly followed = new Map<string, Followed>();
  private readonly handled = new Set<string>();

  /**
   * @param window the user's `--tail` and `--since`
   * @param beganAt when following began (ms): with `--tail`, lines written before it that the tail
   *   left out are never printed on a resume either
   */
  constructor(private readonly window: { readonly tail?: number; readonly sinceMs?: number }, private readonly beganAt: number) {}

  /** A container found when following began: its last `tail` lines within `--since`; undefined when already followed. */
  present(id: string): Attachment | undefined {
    if (this.followed.has(id)) return undefined;
    const tail = this.window.tail;
    this.followed.set(id, { active: true, ...(tail === undefined ? {} : { printed: { time: this.beganAt, count: 0 } }) });
    return { id, ...(tail === undefined ? {} : { tail }), ...this.since(), skip: 0 };
  }

  /**
   * An event of the project's log, from the live follower or from a later full read (each is handled
   * once). A `start` attaches its container: a new one from its first line, one whose log ended from
   * after its last line printed; undefined when there is nothing to attach.
   */
  event(event: FollowEvent): Attachment | undefined {
    const key = `${event.time} ${event.action} ${event.id}`;
    if (this.handled.has(key)) return undefined;
    this.handled.add(key);
    if (event.action !== 'start') return undefined;
    const known = this.followed.get(event.id);
    if (known?.active === true) return undefined;
    if (known === undefined) {
      this.followed.set(event.id, { active: true });
      return { id: event.id, ...this.since(), skip: 0 };
    }
    known.active = true;
    return this.resume(event.id);
  }

  /** Where a followed container's log goes on from, after the last record printed. */
  resume(id: string): Attachment {
    const printed = this.followed.get(id)?.printed;
    const since = this.window.sinceMs;
    if (printed === undefined || (since !== undefined && since > printed.time)) return { id, ...this.since(), skip: 0 };
    return { id, sinceMs: printed.time, skip: printed.count };
  }

  /** A record of the container's log, written at `time` (ms), was printed. */
  printed(id: string, time: number): void {
    const entry = this.followed.get(id);
    if (entry === undefined) return;
    const last = entry.printed;
    if (last !== undefined && time < last.time) return;
    entry.printed = last?.time === time ? { time, count: last.count + 1 } : { time, count: 1 };
  }

  /** The container's log ended for good (it stopped and did not start again); a later `start` event resumes it. */
  ended(id: string): void {
    const entry = this.followed.get(id);
    if (entry !== undefined) entry.active = false;
  }

  /** Every container followed so far, ended or not. */
  get ids(): string[] {
    return [...this.followed.keys()];
  }

  /** How many containers' logs are being followed now. */
  get active(): number {
    let n = 0;
    for (const entry of this.followed.values()) if (entry.active) n++;
    return n;
  }

  private since(): { sinceMs?: number } {
    return this.window.sinceMs === undefined ? {} : { sinceMs: this.window.sinceMs };
  }
}
