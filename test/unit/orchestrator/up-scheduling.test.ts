import { describe, expect, it } from 'vitest';
import { coalesced, limiter } from '../../../src/orchestrator/up.js';

/** A promise settled from outside, to step through interleavings without timers. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

describe('up: creating at most n containers at once', () => {
  it('runs no more than n jobs together, starts the waiting ones in order, and runs them all', async () => {
    const slot = limiter(2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, i) => slot(async () => {
      started.push(i);
      await g.promise;
      return i * 10;
    }));
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1]?.open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    gates[3]?.open();
    expect(await Promise.all(results)).toEqual([0, 10, 20, 30]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('gives a freed slot to the waiting job, not to one that asks in between', async () => {
    const slot = limiter(1);
    const first = gate();
    let running = 0;
    let most = 0;
    const job = async (): Promise<void> => {
      running++;
      most = Math.max(most, running);
      await settle();
      running--;
    };
    const jobs = [slot(() => first.promise), slot(job)];
    first.open();
    // Asks right after the first job ends, before the waiting one has resumed.
    queueMicrotask(() => jobs.push(slot(job)));
    await settle();
    await Promise.all(jobs);
    expect(jobs).toHaveLength(3);
    expect(most).toBe(1);
  });

  it('frees the slot of a job that fails', async () => {
    const slot = limiter(1);
    const failed = slot(() => Promise.reject(new Error('create failed')));
    const next = slot(() => Promise.resolve('created'));
    await expect(failed).rejects.toThrow('create failed');
    expect(await next).toBe('created');
  });
});

describe('up: supervisor syncs', () => {
  it('shares one sync among the calls made before it runs, and runs another for a call made while it runs', async () => {
    const runs: Array<ReturnType<typeof gate>> = [];
    const sync = coalesced(() => {
      const g = gate();
      runs.push(g);
      return g.promise;
    });
    const first = sync();
    const second = sync();
    expect(second).toBe(first);
    await settle();
    expect(runs).toHaveLength(1);
    const third = sync();
    const fourth = sync();
    expect(fourth).toBe(third);
    await settle();
    expect(runs).toHaveLength(1);
    runs[0]?.open();
    await first;
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]?.open();
    await third;
    expect(runs).toHaveLength(2);
  });

  it('runs the next sync after a failed one', async () => {
    let calls = 0;
    const sync = coalesced(async () => {
      calls++;
      if (calls === 1) throw new Error('reload failed');
    });
    await expect(sync()).rejects.toThrow('reload failed');
    await sync();
    expect(calls).toBe(2);
  });
});
