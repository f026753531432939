import { describe, expect, it } from 'vitest';
import type { FollowEvent } from '../../../src/cli/followed-logs.js';
import { streamLogs, type LateContainers } from '../../../src/cli/stream-logs.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { LogRecord } from '../../../src/runtime/log-record.js';
import type { LogsOptions } from '../../../src/runtime/logs.js';
import type { Runtime } from '../../../src/runtime/runtime.js';

const BEGAN = Date.parse('2026-03-01T10:00:00.000Z');

/** Wakes whoever waits on it. */
class Signal {
  private waiters: Array<() => void> = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  fire(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Containers' logs in memory, read as the runtime reads them: tail, since, until, and following while running. */
class FakeLogs {
  readonly logs = new Map<string, { records: LogRecord[]; running: boolean }>();
  private readonly changed = new Signal();
  private clock = BEGAN;

  container(id: string, running: boolean, ...lines: string[]): ContainerInfo {
    this.logs.set(id, { records: [], running });
    for (const l of lines) this.write(id, l);
    // `web-1@2`: a second container named web-1 (a recreate).
    const name = id.split('@')[0] ?? id;
    return { id, name: `p-${name}`, labels: { 'com.docker.compose.service': name.replace(/-\d+$/, '') } } as unknown as ContainerInfo;
  }

  write(id: string, line: string): void {
    this.clock += 1;
    this.logs.get(id)?.records.push({ stream: 'stdout', log: `${line}\n`, time: new Date(this.clock).toISOString() });
    this.changed.fire();
  }

  set(id: string, running: boolean): void {
    const log = this.logs.get(id);
    if (log !== undefined) log.running = running;
    this.changed.fire();
  }

  runtime(): Runtime {
    return { logs: (id: string, options?: LogsOptions) => this.read(id, options ?? {}) } as unknown as Runtime;
  }

  private async *read(id: string, options: LogsOptions): AsyncGenerator<LogRecord> {
    const log = this.logs.get(id);
    if (log === undefined) throw new Error(`no container ${id}`);
    const since = Number(options.since ?? -Infinity);
    const inRange = (r: LogRecord): boolean => Date.parse(r.time) >= since;
    const first = log.records.filter(inRange);
    let seen = log.records.length;
    yield* options.tail === undefined ? first : first.slice(Math.max(0, first.length - options.tail));
    while (options.follow === true) {
      const running = log.running;
      yield* log.records.slice(seen).filter(inRange);
      seen = log.records.length;
      if (!running || options.signal?.aborted === true) return;
      await this.changed.wait();
    }
  }
}

/** Start events as a test writes them; the live reader sees only those it is given. */
class FakeLate implements LateContainers {
  readonly all: FollowEvent[] = [];
  private live: FollowEvent[] = [];
  private readonly arrived = new Signal();
  busyNow = false;
  busyLooks = 0;

  constructor(readonly containers: Map<string, ContainerInfo>) {}

  /** An event written to the log; `seenLive` false: the live reader misses it. */
  start(id: string, seenLive = true): void {
    const event = { time: new Date(BEGAN + 1_000 + this.all.length).toISOString(), action: 'start', id };
    this.all.push(event);
    if (seenLive) this.live.push(event);
    this.arrived.fire();
  }

  async *events(signal: AbortSignal): AsyncIterable<FollowEvent> {
    const stop = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    while (!signal.aborted) {
      const now = this.live;
      this.live = [];
      yield* now;
      await Promise.race([this.arrived.wait(), stop]);
    }
  }

  written(): Promise<FollowEvent[]> {
    return Promise.resolve([...this.all]);
  }

  busy(): Promise<boolean> {
    this.busyLooks++;
    return Promise.resolve(this.busyNow);
  }

  find(id: string): Promise<ContainerInfo | undefined> {
    return Promise.resolve(this.containers.get(id));
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Runs streamLogs with follow on the fakes; `out` is the text printed so far. */
function follow(logs: FakeLogs, present: ContainerInfo[], late: FakeLate, options: { tail?: number } = {}): { out: () => string; ended: string[]; done: Promise<void>; stop: AbortController } {
  let text = '';
  const ended: string[] = [];
  const stop = new AbortController();
  const done = streamLogs(logs.runtime(), present, {
    project: 'p', follow: true, colour: false, beganAt: BEGAN, late, signal: stop.signal, ...options,
    again: () => Promise.resolve(false),
    write: (t) => {
      text += t;
    },
    onEnd: (c) => ended.push(c.id),
  });
  return { out: () => text, ended, done, stop };
}

async function until(check: () => boolean): Promise<void> {
  while (!check()) await tick();
}

describe('streamLogs following containers that start later', () => {
  it('prints the lines of a container present at the beginning once, though its start event comes too', async () => {
    const logs = new FakeLogs();
    const web = logs.container('web-1', true, 'one');
    const late = new FakeLate(new Map([['web-1', web]]));
    const run = follow(logs, [web], late);
    await until(() => run.out().includes('one'));
    late.start('web-1');
    logs.write('web-1', 'two');
    logs.set('web-1', false);
    await run.done;
    expect(run.out()).toBe('web-1 | one\nweb-1 | two\n');
  });

  it('follows a container that starts later from its first line (--tail only cuts those present), even one already exited', async () => {
    const logs = new FakeLogs();
    const web = logs.container('web-1', true, 'old 1', 'old 2');
    const quick = logs.container('web-2', false, 'burst 1', 'burst 2');
    const late = new FakeLate(new Map([['web-1', web], ['web-2', quick]]));
    const run = follow(logs, [web], late, { tail: 1 });
    await until(() => run.out().includes('old 2'));
    late.start('web-2');
    await until(() => run.out().includes('burst 2'));
    logs.set('web-1', false);
    await run.done;
    expect(run.out().split('\n').filter((l) => l !== '').sort()).toEqual(['web-1 | old 2', 'web-2 | burst 1', 'web-2 | burst 2']);
  });

  it('finds a start the live reader missed by reading the event log once nothing is followed', async () => {
    const logs = new FakeLogs();
    const web = logs.container('web-1', true, 'first');
    const missed = logs.container('web-2', false, 'missed but found');
    const late = new FakeLate(new Map([['web-1', web], ['web-2', missed]]));
    const run = follow(logs, [web], late);
    await until(() => run.out().includes('first'));
    late.start('web-2', false);
    logs.set('web-1', false);
    await run.done;
    expect(run.out()).toBe('web-1 | first\nweb-2 | missed but found\n');
  });

  it('goes on while the project is busy with nothing followed (a recreate between its stop and its start)', async () => {
    const logs = new FakeLogs();
    const old = logs.container('web-1', true, 'old');
    const late = new FakeLate(new Map([['web-1', old]]));
    const run = follow(logs, [old], late);
    await until(() => run.out().includes('old'));
    late.busyNow = true;
    logs.set('web-1', false);
    let ended = false;
    void run.done.then(() => {
      ended = true;
    });
    // The old log ended; the follower looks again and again whether the project is still busy.
    await until(() => run.ended.includes('web-1') && late.busyLooks >= 2);
    expect(ended).toBe(false);
    // The recreated container (a new id) starts, and the command ends.
    const recreated = logs.container('web-1@2', true, 'new');
    late.containers.set('web-1@2', recreated);
    late.start('web-1@2');
    late.busyNow = false;
    await until(() => run.out().includes('new'));
    logs.set('web-1@2', false);
    await run.done;
    expect(run.out()).toBe('web-1 | old\nweb-1 | new\n');
  });

  it('resumes a container started again after its log ended, after the last line printed', async () => {
    const logs = new FakeLogs();
    const a = logs.container('a-1', true, 'a first');
    const b = logs.container('b-1', true, 'b first');
    const late = new FakeLate(new Map([['a-1', a], ['b-1', b]]));
    const run = follow(logs, [a, b], late);
    await until(() => run.out().includes('a first') && run.out().includes('b first'));
    logs.set('a-1', false);
    await until(() => run.ended.includes('a-1'));
    logs.set('a-1', true);
    logs.write('a-1', 'a again');
    late.start('a-1');
    await until(() => run.out().includes('a again'));
    logs.set('a-1', false);
    logs.set('b-1', false);
    await run.done;
    expect(run.out().split('\n').filter((l) => l.startsWith('a-1')).sort()).toEqual(['a-1 | a again', 'a-1 | a first']);
  });

  it('fails with the error of the first log that cannot be read, while the others still follow', async () => {
    const logs = new FakeLogs();
    const web = logs.container('web-1', true, 'up');
    const ghost = { id: 'ghost', name: 'p-ghost-1', labels: {} } as unknown as ContainerInfo;
    const late = new FakeLate(new Map([['web-1', web]]));
    const run = follow(logs, [web, ghost], late);
    await expect(run.done).rejects.toThrow('no container ghost');
    run.stop.abort();
    logs.set('web-1', false);
  });

  it('ends at once when the signal aborts, printing nothing twice', async () => {
    const logs = new FakeLogs();
    const web = logs.container('web-1', true, 'up');
    const late = new FakeLate(new Map([['web-1', web]]));
    const run = follow(logs, [web], late);
    await until(() => run.out().includes('up'));
    run.stop.abort();
    logs.set('web-1', true);
    await run.done;
    expect(run.out()).toBe('web-1 | up\n');
  });
});
