import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventsLog, eventsLogPath, formatEvent, parseEvent, type ContainerEvent } from '../../../src/orchestrator/events-log.js';
import { followEvents } from '../../../src/orchestrator/follow-events.js';
import { StatePaths } from '../../../src/state/paths.js';

const subject = (service: string, id = 'c'.repeat(64)) => ({
  id, name: `shop-${service}-1`, image: { reference: 'busybox:latest' },
  labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service, 'com.docker.compose.oneoff': 'False', tier: 'front' },
});

describe('the event log', () => {
  let dir: string;
  let paths: StatePaths;
  let now: number;
  let log: EventsLog;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tsc-events-'));
    paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    now = Date.parse('2026-03-01T10:00:00.000Z');
    log = new EventsLog(paths, { now: () => now, monotonic: () => now });
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (options: Partial<Parameters<typeof followEvents>[1]> = {}): Promise<ContainerEvent[]> => {
    const out: ContainerEvent[] = [];
    for await (const e of followEvents(eventsLogPath(paths, 'shop'), { follow: false, now: () => now, ...options })) out.push(e);
    return out;
  };

  it('appends Compose-shaped events: service, name and image, user labels, no com.docker.compose.* labels', async () => {
    await log.record('create', subject('web'));
    now += 1_000;
    await log.record('die', subject('web'), { exitCode: '137' });
    const events = await read();
    expect(events).toEqual([
      { time: '2026-03-01T10:00:00.000Z', type: 'container', action: 'create', id: 'c'.repeat(64), service: 'web', attributes: { tier: 'front', image: 'busybox:latest', name: 'shop-web-1' } },
      { time: '2026-03-01T10:00:01.000Z', type: 'container', action: 'die', id: 'c'.repeat(64), service: 'web', attributes: { tier: 'front', image: 'busybox:latest', name: 'shop-web-1', exitCode: '137' } },
    ]);
  });

  it('prints events as docker compose events does, attributes sorted', () => {
    const event = parseEvent(JSON.stringify({ time: 't', type: 'container', action: 'health_status: healthy', id: 'abc', service: 'db', attributes: { name: 'p-db-1', image: 'pg' } }));
    expect(event && formatEvent(event)).toBe('t container health_status: healthy abc (image=pg, name=p-db-1)');
    expect(parseEvent('{"torn": ')).toBeUndefined();
  });

  it('filters by service and by time, and skips a torn line', async () => {
    await log.record('start', subject('web'));
    appendFileSync(eventsLogPath(paths, 'shop'), '{"time": "2026-03\n');
    now += 60_000;
    await log.record('start', subject('db', 'd'.repeat(64)));
    expect((await read({ services: ['db'] })).map((e) => e.service)).toEqual(['db']);
    expect((await read({ sinceMs: now })).map((e) => e.service)).toEqual(['db']);
    expect((await read({ untilMs: now - 1 })).map((e) => e.service)).toEqual(['web']);
  });

  it('follows the log as it grows and stops when aborted', async () => {
    const stop = new AbortController();
    const seen: string[] = [];
    const following = (async () => {
      for await (const e of followEvents(eventsLogPath(paths, 'shop'), { follow: true, sinceMs: 0, signal: stop.signal, now: () => now })) {
        seen.push(e.action);
        if (seen.length === 2) stop.abort();
      }
    })();
    await log.record('create', subject('web'));
    await log.record('start', subject('web'));
    await following;
    expect(seen).toEqual(['create', 'start']);
  });
});
