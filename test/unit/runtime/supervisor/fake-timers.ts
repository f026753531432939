import type { Clock } from '../../../../src/util/clock.js';
import type { Timers } from '../../../../src/runtime/supervisor/timers.js';

/** A clock and timers that move only when told; `advance` runs what falls due, in order, letting async work settle between. */
export class FakeTime implements Clock, Timers {
  private current: number;
  private next = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  /** What `advance` waits for after each timer it fires (the work the timer set off). */
  idle: () => Promise<void> = async () => undefined;

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  monotonic(): number {
    return this.current;
  }

  set(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.current + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get scheduled(): number {
    return this.pending.size;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const due = [...this.pending].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (due === undefined) break;
      this.pending.delete(due[0]);
      this.current = Math.max(this.current, due[1].at);
      due[1].fn();
      await settle();
      await this.idle();
    }
    this.current = target;
  }
}

/** Lets pending promise chains (and immediate callbacks) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}
