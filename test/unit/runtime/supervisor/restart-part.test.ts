import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContainerView } from '../../../../src/runtime/supervisor/container-view.js';
import { RestartPart, type RestartRecord } from '../../../../src/runtime/supervisor/restart-part.js';
import type { RestartPolicy } from '../../../../src/runtime/supervisor/restart-policy.js';
import type { SupervisorEvent } from '../../../../src/runtime/supervisor/supervisor-events.js';
import { FakeTime, settle } from './fake-timers.js';

const ID = 'b'.repeat(64);

describe('RestartPart', () => {
  let time: FakeTime;
  let view: ContainerView | undefined;
  let userStopped: boolean;
  let starts: number[];
  let events: SupervisorEvent[];
  let changed: (() => void) | undefined;
  let part: RestartPart;
  let kept: Map<string, RestartRecord>;

  const iso = (ms: number): string => new Date(ms).toISOString();
  /** The container's run ends now after `ranMs`, with `exitCode`, and its directory changes. */
  const exit = (exitCode: number | null, signal: string | null = null): void => {
    const startedAt = view?.startedAt ?? iso(time.now());
    view = { id: ID, status: 'exited', startedAt, finishedAt: iso(time.now()), exit: { exitCode, signal }, restartCount: view?.restartCount ?? 0 };
    changed?.();
  };

  beforeEach(() => {
    time = new FakeTime();
    view = { id: ID, status: 'running', startedAt: iso(time.now()), restartCount: 0 };
    userStopped = false;
    starts = [];
    events = [];
    changed = undefined;
    kept = new Map();
    part = new RestartPart({
      lookup: async () => view,
      stoppedByUser: async () => userStopped,
      memory: { read: async (id) => kept.get(id), write: async (id, r) => void kept.set(id, r) },
      start: async () => {
        starts.push(time.now());
        view = { id: ID, status: 'running', startedAt: iso(time.now()), restartCount: (view?.restartCount ?? 0) + 1 };
        return view.startedAt;
      },
      containerDir: () => '/nonexistent',
      watchDir: (_dir, onChange) => {
        changed = onChange;
        return () => (changed = undefined);
      },
      clock: time,
      timers: time,
      emit: (e) => void events.push(e),
      log: () => undefined,
      scanMs: 60_000,
    });
  });

  afterEach(() => part.close());

  const watch = (policy: RestartPolicy): Promise<void> => part.reconcile({ containers: [{ id: ID, policy }] });

  it('restarts a crashing on-failure:3 container three times, with the back-off, then leaves it exited', async () => {
    await watch({ name: 'on-failure', maxRetries: 3 });
    const t0 = time.now();
    for (let i = 0; i < 4; i++) {
      await time.advance(10);
      exit(2);
      await time.advance(1_000);
    }
    expect(starts.map((t) => t - t0)).toEqual([10 + 100, 1_020 + 200, 2_030 + 400]);
    expect(view?.status).toBe('exited');
    expect(events.map((e) => e.action)).toEqual(['die', 'start', 'die', 'start', 'die', 'start', 'die']);
    expect(events[0]?.attributes).toEqual({ exitCode: '2' });
  });

  it('restarts an always container killed by a signal, reporting exit status 137', async () => {
    await watch({ name: 'always' });
    exit(null, 'SIGKILL');
    await time.advance(100);
    expect(starts).toHaveLength(1);
    expect(events[0]?.attributes).toEqual({ exitCode: '137', signal: 'SIGKILL' });
  });

  it('leaves alone a container the user stopped, also when the stop comes during the back-off', async () => {
    await watch({ name: 'always' });
    userStopped = true;
    exit(0);
    await time.advance(1_000);
    expect(starts).toHaveLength(0);
    userStopped = false;
    view = { id: ID, status: 'running', startedAt: iso(time.now()), restartCount: 0 };
    exit(1);
    await settle();
    userStopped = true;
    await time.advance(1_000);
    expect(starts).toHaveLength(0);
    expect(events.filter((e) => e.action === 'die')).toHaveLength(2);
  });

  it('reports each death once and never restarts under "no"', async () => {
    await watch({ name: 'no' });
    exit(1);
    changed?.();
    await time.advance(5_000);
    expect(starts).toHaveLength(0);
    expect(events.map((e) => e.action)).toEqual(['die']);
  });

  it('finds an exit that inotify missed with its scan', async () => {
    await watch({ name: 'always' });
    const startedAt = view?.startedAt ?? '';
    view = { id: ID, status: 'exited', startedAt, finishedAt: iso(time.now()), exit: { exitCode: 255, signal: null }, restartCount: 0 };
    await time.advance(60_000 + 100);
    expect(starts).toHaveLength(1);
  });

  it('restarts, on adoption, a container that died while no supervisor ran', async () => {
    exit(1);
    await watch({ name: 'on-failure' });
    await time.advance(100);
    expect(starts).toHaveLength(1);
  });

  it('a new supervisor carries on: a death already handled is neither reported nor acted on again', async () => {
    await watch({ name: 'on-failure', maxRetries: 1 });
    exit(1);
    await time.advance(100);
    exit(1);
    await time.advance(1_000);
    expect(starts).toHaveLength(1);
    await part.close();
    part = new RestartPart({
      lookup: async () => view, stoppedByUser: async () => false, start: async () => void starts.push(time.now()) as never,
      memory: { read: async (id) => kept.get(id), write: async (id, r) => void kept.set(id, r) },
      containerDir: () => '/nonexistent', watchDir: () => () => undefined, clock: time, timers: time, emit: (e) => void events.push(e), log: () => undefined,
    });
    await watch({ name: 'on-failure', maxRetries: 1 });
    await time.advance(1_000);
    expect(starts).toHaveLength(1);
    expect(events.filter((e) => e.action === 'die')).toHaveLength(2);
  });

  it('tells when it sees a new run of a container started by someone else', async () => {
    const seen: string[] = [];
    await part.close();
    part = new RestartPart({
      lookup: async () => view, stoppedByUser: async () => false, start: async () => undefined,
      memory: { read: async () => undefined, write: async () => undefined },
      containerDir: () => '/nonexistent', watchDir: (_d, onChange) => ((changed = onChange), () => undefined), clock: time, timers: time,
      emit: () => undefined, log: () => undefined, onRestarted: (id) => void seen.push(id),
    });
    await watch({ name: 'no' });
    await time.advance(1_000);
    view = { id: ID, status: 'running', startedAt: iso(time.now()), restartCount: 0 };
    changed?.();
    await time.advance(10);
    expect(seen).toEqual([ID]);
  });

  it('drops a container that was removed', async () => {
    await watch({ name: 'always' });
    view = undefined;
    changed?.();
    await time.advance(1_000);
    expect(part.snapshot()).toEqual({});
  });
});
