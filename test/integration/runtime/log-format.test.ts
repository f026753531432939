import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseLogLine } from '../../../src/runtime/log-record.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

const PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) ([FP]) /;

describe.skipIf(!nativesReady)('the log file the monitor writes', () => {
  let world: LinuxWorld;
  beforeEach(async () => {
    world = await linuxWorld();
  });
  afterEach(async () => {
    expect(await world.cleanup()).toEqual([]);
  });

  it('writes each line as `<time> <stream> F <text>`, long lines and an unfinished one in P pieces, bytes as they came', async () => {
    const rt = world.runtime;
    // s is 16 KiB of "a": a line of exactly that is one record, a longer one is cut at 16 KiB.
    const script = [
      's=a; i=0; while [ $i -lt 14 ]; do s=$s$s; i=$((i+1)); done',
      'echo "$s"',
      'echo "$s$s${s}bbbbb"',
      'echo oops >&2',
      'echo',
      "printf 'raw \"quotes\" \\\\ back\\r\\377 end\\n'",
      "printf 'no newline'",
    ].join('; ');
    const info = await rt.create(world.spec('format', ['sh', '-c', script], { log: { maxSizeBytes: 0 } }));
    await rt.start(info.id);
    expect((await rt.wait(info.id)).exitCode).toBe(0);

    const raw = readFileSync(info.paths.logFile);
    const lines = raw.toString('latin1').split('\n');
    expect(lines.pop()).toBe('');
    const shape = lines.map((l) => {
      const m = PREFIX.exec(l);
      expect(m, l.slice(0, 60)).not.toBeNull();
      return `${m?.[1]} ${m?.[2]} ${l.length - (m?.[0].length ?? 0)}`;
    });
    const K = 16384;
    expect(shape.filter((s) => s.startsWith('stdout'))).toEqual([
      `stdout F ${K}`,
      `stdout P ${K}`, `stdout P ${K}`, `stdout P ${K}`, 'stdout F 5',
      'stdout F 0',
      'stdout F 25',
      'stdout P 10',
    ]);
    expect(shape.filter((s) => s.startsWith('stderr'))).toEqual(['stderr F 4']);
    // Nothing is escaped: quotes, backslashes, a carriage return and a byte that is not UTF-8 go in as they are.
    expect(raw.includes(Buffer.from('stdout F raw "quotes" \\ back\r\xff end\n', 'latin1'))).toBe(true);

    const stdout: string[] = [];
    for await (const r of rt.logs(info.id)) if (r.stream === 'stdout') stdout.push(r.log);
    const s = 'a'.repeat(K);
    expect(stdout.join('')).toBe(`${s}\n${s}${s}${s}bbbbb\n\nraw "quotes" \\ back\r\ufffd end\nno newline`);
    expect(stdout.at(-1)).toBe('no newline');
    // Every line of the file is a record the reader takes.
    expect(raw.toString('utf8').split('\n').slice(0, -1).every((l) => parseLogLine(l) !== undefined)).toBe(true);
    await rt.remove(info.id);
  });
});
