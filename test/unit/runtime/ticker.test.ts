import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { notTheLog, watchingTicker } from '../../../src/runtime/ticker.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-ticker-'));
  dirs.push(dir);
  return dir;
}

/** Which of the two finishes first: the tick, or a later write to `entry`. */
async function wokenBy(dir: string, entry: string, wakesOn?: (entry: string) => boolean): Promise<'change' | 'timeout'> {
  const ticker = watchingTicker(dir, wakesOn);
  try {
    const started = Date.now();
    const tick = ticker.tick(1500).then((): 'change' | 'timeout' => (Date.now() - started < 1400 ? 'change' : 'timeout'));
    setTimeout(() => writeFileSync(join(dir, entry), 'x'), 20);
    return await tick;
  } finally {
    ticker.close();
  }
}

describe('watchingTicker', () => {
  it('wakes when an entry of the directory changes', async () => {
    expect(await wokenBy(scratch(), 'exit.json')).toBe('change');
  });

  it('lets a filter ignore the log growing, but not the exit file', async () => {
    expect(await wokenBy(scratch(), 'container.log', notTheLog)).toBe('timeout');
    expect(await wokenBy(scratch(), 'exit.json', notTheLog)).toBe('change');
  });
});
