import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerView } from '../../../../src/runtime/supervisor/container-view.js';
import { HealthPart, type ProbeOptions, type ProbeOutcome } from '../../../../src/runtime/supervisor/health-part.js';
import { healthRecord } from '../../../../src/runtime/supervisor/health-record.js';
import type { HealthCheck } from '../../../../src/runtime/supervisor/health-state.js';
import type { SupervisorEvent } from '../../../../src/runtime/supervisor/supervisor-events.js';
import { FakeTime } from './fake-timers.js';

const ID = 'a'.repeat(64);
const check: HealthCheck = { command: ['/bin/sh', '-c', 'test -f /ready'], intervalMs: 1_000, timeoutMs: 300, retries: 2, startPeriodMs: 0, startIntervalMs: 100 };

describe('HealthPart', () => {
  let dir: string;
  let time: FakeTime;
  let views: Map<string, ContainerView>;
  let outcomes: (ProbeOutcome | Error)[];
  let calls: { id: string; options: ProbeOptions; at: number }[];
  let events: SupervisorEvent[];
  let part: HealthPart;

  const run = (startedAtMs: number): ContainerView => ({ id: ID, status: 'running', startedAt: new Date(startedAtMs).toISOString(), restartCount: 0 });
  const record = () => healthRecord(dir).read();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsc-health-'));
    time = new FakeTime();
    views = new Map([[ID, run(time.now())]]);
    outcomes = [];
    calls = [];
    events = [];
    part = new HealthPart({
      exec: async (id, options) => {
        calls.push({ id, options, at: time.now() });
        const next = outcomes.shift() ?? { exitCode: 0, signal: null, timedOut: false };
        if (next instanceof Error) throw next;
        return next;
      },
      lookup: async (id) => views.get(id),
      containerDir: () => dir,
      clock: time,
      timers: time,
      emit: (e) => void events.push(e),
      log: () => undefined,
    });
    time.idle = () => part.idle();
  });

  afterEach(async () => {
    await part.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes `starting` at once and runs the first check one interval after the start, as Docker does', async () => {
    await part.reconcile({ containers: [{ id: ID, check }] });
    expect((await record())?.status).toBe('starting');
    await time.advance(999);
    expect(calls).toHaveLength(0);
    await time.advance(1);
    expect(calls.map((c) => c.options)).toEqual([{ args: check.command, output: 'capture', stdin: 'ignore', maxOutputBytes: 4096, timeoutMs: 300 }]);
    expect(await record()).toMatchObject({ status: 'healthy', failingStreak: 0, containerStartedAt: views.get(ID)?.startedAt });
    expect(events.map((e) => e.action)).toEqual(['health_status: healthy']);
  });

  it('turns unhealthy after `retries` failures, keeping their output, and reports each change once', async () => {
    outcomes.push({ exitCode: 0, signal: null, timedOut: false });
    outcomes.push({ exitCode: 1, signal: null, timedOut: false, stdout: 'no\n' });
    outcomes.push({ exitCode: 1, signal: null, timedOut: false, stderr: 'still no\n' });
    await part.reconcile({ containers: [{ id: ID, check }] });
    await time.advance(3_000);
    const health = await record();
    expect(health).toMatchObject({ status: 'unhealthy', failingStreak: 2 });
    expect(health?.log.map((r) => [r.exitCode, r.output])).toEqual([[0, ''], [1, 'no\n'], [1, 'still no\n']]);
    expect(events.map((e) => e.action)).toEqual(['health_status: healthy', 'health_status: unhealthy']);
  });

  it('counts a timeout and a command that cannot start as failures with -1', async () => {
    outcomes.push({ exitCode: null, signal: 'SIGKILL', timedOut: true });
    outcomes.push(new Error('exec: "nope": executable file not found'));
    await part.reconcile({ containers: [{ id: ID, check }] });
    await time.advance(2_000);
    const health = await record();
    expect(health?.status).toBe('unhealthy');
    expect(health?.log.map((r) => r.exitCode)).toEqual([-1, -1]);
    expect(health?.log[0]?.output).toContain('exceeded timeout');
    expect(health?.log[1]?.output).toContain('executable file not found');
  });

  it('checks at start_interval during the start period', async () => {
    outcomes.push(...Array.from({ length: 5 }, () => ({ exitCode: 1, signal: null, timedOut: false })));
    await part.reconcile({ containers: [{ id: ID, check: { ...check, startPeriodMs: 1_000 } }] });
    await time.advance(500);
    expect(calls.length).toBe(5);
    expect((await record())?.status).toBe('starting');
  });

  it('pauses while the container does not run and starts over at `starting` for a new run', async () => {
    await part.reconcile({ containers: [{ id: ID, check }] });
    await time.advance(1_000);
    expect((await record())?.status).toBe('healthy');
    views.set(ID, { ...run(time.now()), status: 'exited' });
    await time.advance(5_000);
    const checked = calls.length;
    expect(checked).toBe(1);
    views.set(ID, run(time.now()));
    await part.containerStarted(ID);
    expect(await record()).toMatchObject({ status: 'starting', containerStartedAt: views.get(ID)?.startedAt, log: [] });
    await time.advance(1_000);
    expect(calls.length).toBe(checked + 1);
    expect((await record())?.status).toBe('healthy');
  });

  it('stops checking a container left out of the section, and one that was removed', async () => {
    await part.reconcile({ containers: [{ id: ID, check }] });
    await part.reconcile({ containers: [] });
    await time.advance(5_000);
    expect(calls).toHaveLength(0);
    await part.reconcile({ containers: [{ id: ID, check }] });
    views.delete(ID);
    await time.advance(5_000);
    expect(calls).toHaveLength(0);
    expect(time.scheduled).toBe(0);
  });

  it('carries on the record of the same run after a restart of the supervisor', async () => {
    await part.reconcile({ containers: [{ id: ID, check }] });
    await time.advance(1_000);
    await part.close();
    const again = new HealthPart({ exec: async () => ({ exitCode: 0, signal: null, timedOut: false }), lookup: async (id) => views.get(id), containerDir: () => dir, clock: time, timers: time, emit: (e) => void events.push(e), log: () => undefined });
    await again.reconcile({ containers: [{ id: ID, check }] });
    expect((await record())?.status).toBe('healthy');
    await again.close();
  });

  it('refuses a section that is not a list of {id, check}', async () => {
    await expect(part.reconcile({ containers: [{ id: ID }] })).rejects.toMatchObject({ code: 'SUPERVISOR' });
    await expect(part.reconcile({ containers: 'x' })).rejects.toMatchObject({ code: 'SUPERVISOR' });
  });
});
