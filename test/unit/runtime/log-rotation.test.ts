import { appendFile, mkdtemp, rename, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { LogCursor } from '../../../src/runtime/log-cursor.js';
import { logLinesOf } from '../../../src/runtime/log-record.js';
import { DEFAULT_LOG_MAX_FILES, DEFAULT_LOG_MAX_SIZE, logRotationOf } from '../../../src/runtime/log-rotation.js';
import { logLimitsFromOptions, logSpecOf, parseLogSize } from '../../../src/orchestrator/service-logging.js';

const line = (log: string): string => logLinesOf({ log, stream: 'stdout', time: '2024-05-01T12:00:00Z' });
const lines = (...logs: string[]): string => logs.map(line).join('');

describe('log rotation settings', () => {
  it('reads sizes as json-file does: bytes or k, m, g with powers of 1024', () => {
    expect(parseLogSize('100')).toBe(100);
    expect(parseLogSize('500k')).toBe(500 * 1024);
    expect(parseLogSize('10m')).toBe(10 * 1024 * 1024);
    expect(parseLogSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseLogSize('1g')).toBe(1024 ** 3);
    expect(parseLogSize('1.5k')).toBe(1536);
    expect(parseLogSize('2 kib')).toBe(2048);
    expect(parseLogSize('-1')).toBe(0);
    for (const bad of ['', 'ten', '10x', '-5m', '1e3']) expect(parseLogSize(bad)).toBeUndefined();
  });

  it('maps max-size and max-file, refusing what it cannot read', () => {
    expect(logLimitsFromOptions({ 'max-size': '1m', 'max-file': '5' })).toEqual({ maxSizeBytes: 1024 * 1024, maxFiles: 5 });
    expect(logLimitsFromOptions({ 'max-size': '200k' })).toEqual({ maxSizeBytes: 200 * 1024 });
    expect(logLimitsFromOptions({ compress: 'true' })).toBeUndefined();
    expect(logSpecOf(undefined)).toEqual({});
    expect(logSpecOf({ 'max-file': '2' })).toEqual({ log: { maxFiles: 2 } });
    for (const options of [{ 'max-size': 'big' }, { 'max-file': '0' }, { 'max-file': 'two' }]) {
      const err = (() => {
        try {
          logLimitsFromOptions(options);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(TscError);
      expect((err as TscError).hint).toBeTruthy();
    }
  });

  it('defaults to 10 MiB × 3 and turns rotation off with a size of 0', () => {
    expect(logRotationOf({})).toEqual({ maxSizeBytes: DEFAULT_LOG_MAX_SIZE, maxFiles: DEFAULT_LOG_MAX_FILES });
    expect([DEFAULT_LOG_MAX_SIZE, DEFAULT_LOG_MAX_FILES]).toEqual([10 * 1024 * 1024, 3]);
    expect(logRotationOf({ log: { maxFiles: 5 } })).toEqual({ maxSizeBytes: DEFAULT_LOG_MAX_SIZE, maxFiles: 5 });
    expect(logRotationOf({ log: { maxSizeBytes: 0 } })).toBeUndefined();
    expect(() => logRotationOf({ log: { maxFiles: 0 } })).toThrow(TscError);
  });
});

describe('LogCursor across rotation', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tsc-rotation-'));
    file = join(dir, 'container.log');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** What the monitor does: a fresh file, the oldest removed, log.(n-1) → log.n … log → log.1, the fresh one → log. */
  async function rotate(keep: number): Promise<void> {
    await writeFile(`${file}.new`, '');
    await rm(`${file}.${keep - 1}`, { force: true });
    for (let i = keep - 1; i >= 2; i--) await rename(`${file}.${i - 1}`, `${file}.${i}`).catch(() => undefined);
    await rename(file, `${file}.1`);
    await rename(`${file}.new`, file);
  }

  const read = async (cursor: LogCursor): Promise<string[]> => (await cursor.next()).map((r) => r.log);

  it('reads the rotated files oldest first, then the current one', async () => {
    await writeFile(`${file}.2`, lines('a'));
    await writeFile(`${file}.1`, lines('b', 'c'));
    await writeFile(file, lines('d'));
    await writeFile(join(dir, 'container.log.tmp'), lines('not a log file'));
    expect(await read(new LogCursor(file))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('finishes the file it was reading after it was rotated, then reads the newer ones', async () => {
    const cursor = new LogCursor(file);
    const half = line('two');
    await writeFile(file, line('one') + half.slice(0, 7));
    expect(await read(cursor)).toEqual(['one']);
    await appendFile(file, half.slice(7));
    await rotate(3);
    await appendFile(file, lines('three'));
    await rotate(3);
    await appendFile(file, lines('four'));
    expect(await read(cursor)).toEqual(['two', 'three', 'four']);
    await appendFile(file, lines('five'));
    expect(await read(cursor)).toEqual(['five']);
    expect(await read(cursor)).toEqual([]);
  });

  it('goes on from the oldest file kept when what it was reading was rotated away', async () => {
    const cursor = new LogCursor(file);
    await writeFile(file, lines('one'));
    expect(await read(cursor)).toEqual(['one']);
    for (const next of ['two', 'three', 'four']) {
      await appendFile(file, lines(next));
      await rotate(2);
    }
    await appendFile(file, lines('five'));
    expect(await read(cursor)).toEqual(['four', 'five']);
  });

  it('starts over when a single kept file is truncated', async () => {
    const cursor = new LogCursor(file);
    await writeFile(file, lines('one', 'two'));
    expect(await read(cursor)).toEqual(['one', 'two']);
    await truncate(file, 0);
    await appendFile(file, lines('three'));
    expect(await read(cursor)).toEqual(['three']);
  });
});
