import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notTheLog } from '../../../src/runtime/ticker.js';
import { fsDirWatch } from '../../../src/util/dir-watch.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-dir-watch-'));
  dirs.push(dir);
  return dir;
}

/**
 * Appends to a container's log 20 times, then renames its exit file into place, as the monitor does;
 * resolves with the entries whose changes woke the watch, once the rename did (inotify reports in
 * order, so every append was reported or left out by then).
 */
async function wokenBy(wakesOn?: (entry: string) => boolean): Promise<string[]> {
  const dir = scratch();
  writeFileSync(join(dir, 'container.log'), '');
  const woken: string[] = [];
  let entry = '';
  let exitSeen!: () => void;
  const exited = new Promise<void>((resolve) => (exitSeen = resolve));
  const stop = fsDirWatch(dir, () => {
    woken.push(entry);
    if (entry === 'exit.json') exitSeen();
  }, (name) => {
    entry = name;
    return wakesOn === undefined || wakesOn(name);
  });
  try {
    for (let i = 0; i < 20; i++) appendFileSync(join(dir, 'container.log'), `line ${i}\n`);
    writeFileSync(join(dir, 'exit.json.tmp'), '{}');
    renameSync(join(dir, 'exit.json.tmp'), join(dir, 'exit.json'));
    await exited;
    return woken;
  } finally {
    stop();
  }
}

describe('fsDirWatch', () => {
  it('wakes on the log growing without a filter', async () => {
    const woken = await wokenBy();
    expect(woken).toContain('container.log');
    expect(woken).toContain('exit.json');
  });

  it('with the log left out, wakes on the exit file only', async () => {
    const woken = await wokenBy(notTheLog);
    expect(woken).not.toContain('container.log');
    expect(woken).toContain('exit.json');
  });

  it('gives a stop that does nothing for a directory it cannot watch', () => {
    let woken = 0;
    const stop = fsDirWatch(join(scratch(), 'absent'), () => woken++);
    stop();
    expect(woken).toBe(0);
  });
});
