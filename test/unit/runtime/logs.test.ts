import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogCursor } from '../../../src/runtime/log-cursor.js';
import { formatLogRecord, logLinesOf, parseLogLine, type LogRecord } from '../../../src/runtime/log-record.js';
import { RuntimeFixture } from './runtime-fixture.js';

async function collect(records: AsyncIterable<LogRecord>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of records) out.push(r.log);
  return out;
}

describe('log records', () => {
  it('parses the monitor\'s lines: time, stream, F for a whole line or P for a piece, then the text as written', () => {
    const time = '2024-05-01T12:00:00.123456789Z';
    expect(parseLogLine(`${time} stdout F hi`)).toEqual({ log: 'hi\n', stream: 'stdout', time });
    expect(parseLogLine(`${time} stderr P a "quoted" \\ piece\t`)).toEqual({ log: 'a "quoted" \\ piece\t', stream: 'stderr', time });
    expect(parseLogLine(`${time} stdout F `)).toEqual({ log: '\n', stream: 'stdout', time });
    expect(parseLogLine(`${time} stdout F   spaced  `)).toEqual({ log: '  spaced  \n', stream: 'stdout', time });
    expect(parseLogLine(`${time} stdout F {"log":"x"}`)).toEqual({ log: '{"log":"x"}\n', stream: 'stdout', time });
    expect(parseLogLine('2024-05-01T12:00:00+02:00 stdout P:x tagged')).toEqual({ log: 'tagged', stream: 'stdout', time: '2024-05-01T12:00:00+02:00' });
    for (const bad of [`${time} stdin F hi`, `${time} stdout X hi`, `${time} stdout`, `yesterday stdout F hi`, `${time}stdout F hi`, '', 'null']) {
      expect(parseLogLine(bad)).toBeUndefined();
    }
  });

  it('reads Docker\'s JSON lines too, refusing malformed ones', () => {
    expect(parseLogLine('{"log":"hi\\n","stream":"stdout","time":"2024-05-01T12:00:00.123456789Z"}'))
      .toEqual({ log: 'hi\n', stream: 'stdout', time: '2024-05-01T12:00:00.123456789Z' });
    expect(parseLogLine('{"log":"hi","stream":"stdin","time":"x"}')).toBeUndefined();
    expect(parseLogLine('{"log":1,"stream":"stdout","time":"x"}')).toBeUndefined();
    expect(parseLogLine('{"log":"hi"')).toBeUndefined();
  });

  it('writes records as lines that read back as the same text', () => {
    const time = '2024-05-01T12:00:00.000000001Z';
    expect(logLinesOf({ log: 'hi\n', stream: 'stdout', time })).toBe(`${time} stdout F hi\n`);
    expect(logLinesOf({ log: 'piece', stream: 'stderr', time })).toBe(`${time} stderr P piece\n`);
    const text = 'one\n\ntwo\r\nthree';
    const lines = logLinesOf({ log: text, stream: 'stdout', time }).split('\n').slice(0, -1);
    expect(lines).toHaveLength(4);
    expect(lines.map((l) => parseLogLine(l)?.log).join('')).toBe(text);
  });

  it('prints with or without the time', () => {
    const r: LogRecord = { log: 'hi\n', stream: 'stdout', time: '2024-05-01T12:00:00.000000001Z' };
    expect(formatLogRecord(r)).toBe('hi\n');
    expect(formatLogRecord(r, { timestamps: true })).toBe('2024-05-01T12:00:00.000000001Z hi\n');
  });

  it('reads a growing file record by record, keeping a half-written line for later', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tsc-logcursor-'));
    try {
      const file = join(dir, 'log');
      const cursor = new LogCursor(file);
      expect(await cursor.next()).toEqual([]);
      const line = (log: string): string => logLinesOf({ log, stream: 'stdout', time: '2024-05-01T12:00:00Z' });
      const second = Buffer.from(line('é two\n'));
      // Cut inside the "é": the cursor must keep the bytes, not decode half a character.
      const cut = second.indexOf('é') + 1;
      await writeFile(file, Buffer.concat([Buffer.from(line('one\n')), second.subarray(0, cut)]));
      expect((await cursor.next()).map((r) => r.log)).toEqual(['one\n']);
      await appendFile(file, Buffer.concat([second.subarray(cut), Buffer.from(`garbage\n${line('a long ')}${line('line\n')}`)]));
      expect((await cursor.next()).map((r) => r.log)).toEqual(['é two\n', 'a long ', 'line\n']);
      await appendFile(file, '{"log":"json\\n","stream":"stderr","time":"2024-05-01T12:00:01Z"}\n');
      expect(await cursor.next()).toEqual([{ log: 'json\n', stream: 'stderr', time: '2024-05-01T12:00:01Z' }]);
      expect(await cursor.next()).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('logs', () => {
  let f: RuntimeFixture;
  beforeEach(async () => {
    f = await RuntimeFixture.create();
  });
  afterEach(async () => {
    await f.cleanup();
  });

  it('gives the last records with tail, and a window of time with since and until', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    const ref = f.kernel.running()[0]!;
    for (const word of ['a', 'b', 'c']) {
      f.clock.advance(1000);
      await f.kernel.write(ref, 'stdout', `${word}\n`);
    }
    expect(await collect(f.runtime.logs('web'))).toEqual(['sleeping 30\n', 'a\n', 'b\n', 'c\n']);
    expect(await collect(f.runtime.logs('web', { tail: 2 }))).toEqual(['b\n', 'c\n']);
    expect(await collect(f.runtime.logs('web', { tail: 0 }))).toEqual([]);
    expect(await collect(f.runtime.logs('web', { since: '2024-05-01T12:00:02Z' }))).toEqual(['b\n', 'c\n']);
    expect(await collect(f.runtime.logs('web', { until: Date.parse('2024-05-01T12:00:02Z') }))).toEqual(['sleeping 30\n', 'a\n', 'b\n']);
    await expect(collect(f.runtime.logs('web', { since: 'yesterday' }))).rejects.toMatchObject({ code: 'USAGE' });
  });

  it('follows the log as it grows and ends when the container exits', async () => {
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    const ref = f.kernel.running()[0]!;
    const seen: string[] = [];
    const following = (async () => {
      for await (const r of f.runtime.logs('web', { follow: true })) {
        seen.push(r.log);
        if (r.log === 'sleeping 30\n') await f.kernel.write(ref, 'stdout', 'one\n');
        if (r.log === 'one\n') await f.kernel.write(ref, 'stderr', 'two\n');
        if (r.log === 'two\n') await f.runtime.stop('web');
      }
    })();
    await following;
    expect(seen).toEqual(['sleeping 30\n', 'one\n', 'two\n', 'signal 15\n']);
  });

  it('ends following at once for a container that is not running, and quietly when aborted', async () => {
    await f.runtime.create(f.spec('job', ['probe', 'echo', 'done']));
    expect(await collect(f.runtime.logs('job', { follow: true }))).toEqual([]);
    await f.runtime.start('job');
    expect(await collect(f.runtime.logs('job', { follow: true }))).toEqual(['done\n']);
    await f.runtime.create(f.spec('web', ['probe', 'sleep', '30']));
    await f.runtime.start('web');
    const abort = new AbortController();
    const following = collect(f.runtime.logs('web', { follow: true, signal: abort.signal }));
    await f.clock.sleep(10);
    abort.abort();
    expect(await following).toEqual(['sleeping 30\n']);
    await f.runtime.remove('web', { force: true });
  });
});
