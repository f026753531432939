import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonRecord } from '../../../src/state/json-record.js';
import { FileLock } from '../../../src/state/lock.js';
import { identityOf, isAlive, readStartTime } from '../../../src/state/process-identity.js';
import { resolveRoots, StatePaths } from '../../../src/state/paths.js';
import { TscError } from '../../../src/errors/index.js';

const dirs: string[] = [];
const temp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tsc-state-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('JsonRecord', () => {
  const validate = (v: unknown): { n: number } => {
    if (typeof (v as { n?: unknown }).n !== 'number') throw new Error('n must be a number');
    return v as { n: number };
  };

  it('writes atomically, reads back, and leaves no temp file', async () => {
    const dir = temp();
    const record = new JsonRecord(join(dir, 'r.json'), validate);
    expect(await record.read()).toBeUndefined();
    await record.write({ n: 1 });
    await record.write({ n: 2 });
    expect(await record.read()).toEqual({ n: 2 });
    expect(readdirSync(dir)).toEqual(['r.json']);
  });

  it('reports a corrupt record as STATE_CORRUPT', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'r.json'), '{"n": "x"}');
    await expect(new JsonRecord(join(dir, 'r.json'), validate).read()).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
  });
});

describe('process identity', () => {
  it('knows this process and refuses a wrong start time', () => {
    const me = identityOf(process.pid);
    expect(me?.pid).toBe(process.pid);
    expect(isAlive(me!)).toBe(true);
    expect(isAlive({ pid: process.pid, startTime: (me?.startTime ?? 0) + 1 })).toBe(false);
    expect(readStartTime(2 ** 22 + 7)).toBeUndefined();
  });

  it('counts a zombie as gone, read from the same stat line as its start time', () => {
    const proc = temp();
    mkdirSync(join(proc, '42'));
    writeFileSync(join(proc, '42', 'stat'), `42 (a (b) c) Z 1 ${Array.from({ length: 17 }, () => '0').join(' ')} 777 0 0`);
    expect(readStartTime(42, proc)).toBe(777);
    expect(isAlive({ pid: 42, startTime: 777 }, proc)).toBe(false);
    writeFileSync(join(proc, '42', 'stat'), `42 (a (b) c) S 1 ${Array.from({ length: 17 }, () => '0').join(' ')} 777 0 0`);
    expect(isAlive({ pid: 42, startTime: 777 }, proc)).toBe(true);
  });
});

describe('FileLock', () => {
  it('excludes a second holder until released, then lets it in', async () => {
    const path = join(temp(), 'p.lock');
    const me = identityOf(process.pid)!;
    const a = new FileLock(path, me);
    const b = new FileLock(path, me);
    await a.acquire({ timeoutMs: 0 });
    await expect(b.acquire({ timeoutMs: 20, pollMs: 10 })).rejects.toBeInstanceOf(TscError);
    await a.release();
    await b.acquire({ timeoutMs: 0 });
    await b.release();
  });

  it('lets one holder in at a time when many wait at once, and leaves no staging files', async () => {
    const dir = temp();
    const path = join(dir, 'p.lock');
    const me = identityOf(process.pid)!;
    let inside = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 8 }, async () => {
      for (let round = 0; round < 5; round++) {
        const lock = new FileLock(path, me);
        await lock.acquire({ timeoutMs: Number.POSITIVE_INFINITY, pollMs: 1 });
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setImmediate(resolve));
        inside--;
        await lock.release();
      }
    }));
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over a lock whose owner is gone', async () => {
    const path = join(temp(), 'p.lock');
    writeFileSync(path, JSON.stringify({ pid: process.pid, startTime: 1 }));
    const lock = FileLock.forCurrentProcess(path);
    await lock.acquire({ timeoutMs: 0 });
    await lock.release();
  });
});

describe('FileLock and zombies', () => {
  it('takes over a lock whose owner is a zombie not reaped yet', async () => {
    // The shell's child ends at once and the shell, replaced by sleep, never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [line] = (await once(parent.stdout, 'data')) as [Buffer];
      const pid = Number(line.toString().trim());
      const startTime = readStartTime(pid);
      expect(startTime).toBeDefined();
      const path = join(temp(), 'p.lock');
      writeFileSync(path, JSON.stringify({ pid, startTime }));
      const lock = FileLock.forCurrentProcess(path);
      await lock.acquire({ timeoutMs: 5_000, pollMs: 5 });
      expect(isAlive({ pid, startTime: startTime! })).toBe(false);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
      await lock.release();
    } finally {
      parent.kill('SIGKILL');
      await once(parent, 'exit');
    }
  });
});

describe('state paths', () => {
  it('take flags over the environment over the defaults', () => {
    const env = (k: string) => ({ TSCOMPOSE_ROOT: '/env/root' })[k];
    expect(resolveRoots({}, env)).toEqual({ dataRoot: '/env/root', runtimeRoot: '/run/tscompose' });
    expect(resolveRoots({ dataRoot: '/flag' }, env).dataRoot).toBe('/flag');
    expect(new StatePaths({ dataRoot: '/d', runtimeRoot: '/r' }).container('abc')).toBe('/d/containers/abc');
  });
});
