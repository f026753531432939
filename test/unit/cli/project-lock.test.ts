import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withProjectLock } from '../../../src/cli/project-lock.js';
import { FileLock } from '../../../src/state/lock.js';
import { StatePaths } from '../../../src/state/paths.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the project lock', () => {
  it('runs the work at once when free, and waits (saying so once) while another holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsc-lock-'));
    dirs.push(dir);
    const paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    const notes: string[] = [];
    expect(await withProjectLock(paths, 'p', () => Promise.resolve('free'), (l) => notes.push(l))).toBe('free');
    expect(notes).toEqual([]);
    expect(existsSync(paths.projectLock('p'))).toBe(false);

    const other = FileLock.forCurrentProcess(paths.projectLock('p'));
    await other.acquire({ timeoutMs: 0 });
    const order: string[] = [];
    const waiting = withProjectLock(paths, 'p', async () => {
      order.push('second');
      return 'done';
    }, (l) => {
      notes.push(l);
      // The holder lets go only once the waiter has said it waits.
      order.push('first releases');
      void other.release();
    });
    expect(await waiting).toBe('done');
    expect(notes).toEqual(['waiting for another tscompose on project p\n']);
    expect(order).toEqual(['first releases', 'second']);
  });

  it('releases the lock when the work fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsc-lock-'));
    dirs.push(dir);
    const paths = new StatePaths({ dataRoot: join(dir, 'data'), runtimeRoot: join(dir, 'run') });
    await expect(withProjectLock(paths, 'p', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(existsSync(paths.projectLock('p'))).toBe(false);
  });
});
