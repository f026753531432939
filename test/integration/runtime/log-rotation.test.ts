import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logLinesOf } from '../../../src/runtime/log-record.js';
import { readLog, waitFor } from './harness.js';
import { linuxWorld, nativesReady, type LinuxWorld } from './runtime-world.js';

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `line-${from + i}\n`);

describe.skipIf(!nativesReady)('log rotation on the Linux kernel', () => {
  let world: LinuxWorld;
  beforeEach(async () => {
    world = await linuxWorld();
  });
  afterEach(async () => {
    expect(await world.cleanup()).toEqual([]);
  });

  it('keeps max-file files of at most max-size, and logs reads them oldest first', async () => {
    const rt = world.runtime;
    const script = 'i=0; while [ $i -lt 2000 ]; do echo line-$i; i=$((i+1)); done';
    const info = await rt.create(world.spec('chatty', ['sh', '-c', script], { log: { maxSizeBytes: 4096, maxFiles: 3 } }));
    await rt.start(info.id);
    expect((await rt.wait(info.id)).exitCode).toBe(0);

    const base = 'container.log';
    const files = readdirSync(info.paths.dir).filter((f) => f.startsWith(base)).sort();
    expect(files).toEqual([base, `${base}.1`, `${base}.2`]);
    const records = (await Promise.all([`${base}.2`, `${base}.1`, base].map((f) => readLog(join(info.paths.dir, f))))).flat();
    const longest = Math.max(...records.map((r) => logLinesOf(r).length));
    for (const f of files) expect(statSync(join(info.paths.dir, f)).size).toBeLessThanOrEqual(4096 + longest);
    // The rotated files are full, the oldest records are gone.
    expect(statSync(join(info.paths.dir, `${base}.1`)).size).toBeGreaterThan(4096 - longest);
    expect(records[0]?.log).not.toBe('line-0\n');

    const logged: string[] = [];
    for await (const r of rt.logs(info.id)) logged.push(r.log);
    const first = Number(/^line-(\d+)/.exec(logged[0] ?? '')?.[1]);
    expect(logged).toEqual(numbered(first, 2000));
    expect(logged).toEqual(records.map((r) => r.log));
    await rt.remove(info.id);
  });

  it('keeps one file by starting it over when max-file is 1', async () => {
    const rt = world.runtime;
    const script = 'i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); done';
    const info = await rt.create(world.spec('single', ['sh', '-c', script], { log: { maxSizeBytes: 2048, maxFiles: 1 } }));
    await rt.start(info.id);
    await rt.wait(info.id);
    expect(readdirSync(info.paths.dir).filter((f) => f.startsWith('container.log'))).toEqual(['container.log']);
    const logged: string[] = [];
    for await (const r of rt.logs(info.id)) logged.push(r.log);
    expect(logged.at(-1)).toBe('line-499\n');
    expect(logged.length).toBeLessThan(500);
    await rt.remove(info.id);
  });

  it('follows the log across rotations without losing a line', async () => {
    const rt = world.runtime;
    // The container writes 100 lines, then waits on a FIFO before the next 100: the follower sees each
    // batch (about 2 files of 4 KiB, with 5 kept) before the next one can rotate anything away.
    const shared = mkdtempSync(join(tmpdir(), 'tsc-fifo-'));
    try {
      execFileSync('mkfifo', [join(shared, 'go')]);
      const script = 'i=0; while [ $i -lt 500 ]; do echo line-$i; i=$((i+1)); [ $((i % 100)) = 0 ] && [ $i -lt 500 ] && read x < /shared/go; done; echo done';
      const info = await rt.create(world.spec('followed', ['sh', '-c', script], {
        log: { maxSizeBytes: 4096, maxFiles: 5 },
        mounts: [{ type: 'bind', source: shared, target: '/shared' }],
      }));
      await rt.start(info.id);
      const seen: string[] = [];
      for await (const r of rt.logs(info.id, { follow: true })) {
        seen.push(r.log);
        const m = /^line-(\d+)/.exec(r.log);
        // Once a batch is seen, let the container write the next one.
        if (m !== null && Number(m[1]) % 100 === 99 && Number(m[1]) < 499) {
          await (await open(join(shared, 'go'), 'w')).close();
        }
      }
      expect(seen).toEqual([...numbered(0, 500), 'done\n']);
      const rotated = readdirSync(info.paths.dir).filter((f) => f.startsWith('container.log.'));
      expect(rotated).toHaveLength(4);
      await waitFor('exit', async () => ((await rt.inspect(info.id)).status === 'exited' ? true : undefined));
      await rt.remove(info.id);
    } finally {
      rmSync(shared, { recursive: true, force: true });
    }
  });
});
