import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runningSupervisor, stopSupervisor, supervisorStatus, syncSupervisor, writeSupervisorConfig } from '../../../../src/runtime/supervisor/client.js';
import type { SupervisorPart } from '../../../../src/runtime/supervisor/part.js';
import { socketRequest } from '../../../../src/runtime/supervisor/socket-request.js';
import { pidRecord, Supervisor } from '../../../../src/runtime/supervisor/supervisor.js';
import { supervisorPaths } from '../../../../src/runtime/supervisor/supervisor-paths.js';
import { identityOf } from '../../../../src/state/process-identity.js';
import { StatePaths } from '../../../../src/state/paths.js';
import { systemClock } from '../../../../src/util/clock.js';

class RecordingPart implements SupervisorPart {
  readonly seen: unknown[] = [];
  closed = 0;
  constructor(readonly section: string, private readonly fail = false) {}
  async reconcile(section: unknown): Promise<void> {
    this.seen.push(section);
    if (this.fail && section !== undefined) throw new Error('cannot serve that');
  }
  async close(): Promise<void> {
    this.closed++;
  }
}

describe('Supervisor (in this process, on a real unix socket)', () => {
  let dir: string;
  let paths: StatePaths;
  let health: RecordingPart;
  let dns: RecordingPart;
  let supervisor: Supervisor;
  let running: Promise<void>;
  const identity = identityOf(process.pid) ?? { pid: process.pid, startTime: 0 };
  const files = (): ReturnType<typeof supervisorPaths> => supervisorPaths(paths, 'demo');

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsc-sup-'));
    paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    await writeSupervisorConfig(paths, { version: 1, project: 'demo', sections: { health: { containers: [] } } });
    health = new RecordingPart('health');
    dns = new RecordingPart('dns', true);
    supervisor = new Supervisor({ paths: files(), project: 'demo', parts: [health, dns], identity, clock: systemClock, log: () => undefined });
    running = supervisor.run();
    for (let i = 0; i < 200 && (await supervisorStatus(paths, 'demo')) === undefined; i++) await new Promise((r) => setTimeout(r, 5));
  });

  afterEach(async () => {
    await supervisor.stop();
    await running;
    rmSync(dir, { recursive: true, force: true });
  });

  it('records its pid with its start time, answers status, and gave each part its section at start', async () => {
    expect(await pidRecord(files().pid).read()).toMatchObject({ pid: process.pid, startTime: identity.startTime, project: 'demo' });
    expect(await runningSupervisor(paths, 'demo')).toMatchObject({ pid: process.pid });
    expect(await supervisorStatus(paths, 'demo')).toMatchObject({ project: 'demo', pid: process.pid, reloads: 1 });
    expect(health.seen).toEqual([{ containers: [] }]);
    expect(dns.seen).toEqual([undefined]);
  });

  it('reload hands each part its new section and answers once they are done; a failing part is reported', async () => {
    await writeSupervisorConfig(paths, { version: 1, project: 'demo', sections: { health: { containers: ['x'] } } });
    expect(await socketRequest(files().socket, { op: 'reload' }, 2_000)).toEqual({ ok: true });
    expect(health.seen.at(-1)).toEqual({ containers: ['x'] });
    await writeSupervisorConfig(paths, { version: 1, project: 'demo', sections: { dns: { networks: [] } } });
    const failed = await socketRequest(files().socket, { op: 'reload' }, 2_000);
    expect(failed).toMatchObject({ ok: false, error: { code: 'SUPERVISOR' } });
    expect(failed.ok === false && failed.error.message).toContain('dns: cannot serve that');
  });

  it('sync reloads only when the config changed or no supervisor runs', async () => {
    const target = { paths, project: 'demo', entry: '/nonexistent-entry.js' };
    const same = { version: 1 as const, project: 'demo', sections: { health: { containers: [] } } };
    expect(await syncSupervisor(target, same)).toBe(false);
    expect(health.seen).toHaveLength(1);
    expect(await syncSupervisor(target, { ...same, sections: { health: { containers: ['y'] } } })).toBe(true);
    expect(health.seen.at(-1)).toEqual({ containers: ['y'] });
    expect(await supervisorStatus(paths, 'demo')).toMatchObject({ reloads: 2 });
  });

  it('answers a line that is not a request with an error and keeps serving', async () => {
    const answer = await socketRequest(files().socket, { op: 'dance' } as never, 2_000);
    expect(answer).toMatchObject({ ok: false, error: { code: 'USAGE' } });
    expect(await supervisorStatus(paths, 'demo')).toBeDefined();
  });

  it('a second supervisor of the same project refuses to run while this one holds the lock', async () => {
    const second = new Supervisor({ paths: files(), project: 'demo', parts: [], identity, clock: systemClock, log: () => undefined });
    // Same process, so the lock's owner is alive: the second one is refused at once.
    await expect(second.run()).rejects.toMatchObject({ code: 'LOCKED' });
  });

  it('stop closes every part once, and removes its socket, pid record and lock', async () => {
    expect(await socketRequest(files().socket, { op: 'stop' }, 2_000)).toEqual({ ok: true });
    await running;
    expect([health.closed, dns.closed]).toEqual([1, 1]);
    expect([files().socket, files().pid, files().lock].map(existsSync)).toEqual([false, false, false]);
    // Nothing runs any more: stopSupervisor only tidies up.
    expect(await stopSupervisor(paths, 'demo')).toBe(false);
    expect(existsSync(files().config)).toBe(false);
  });
});
