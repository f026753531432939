import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, parseProcStat, readProcStat } from '../../../src/kernel/linux/proc-stat.js';

// Fields 1-22 of /proc/<pid>/stat; the rest of the line does not matter here.
const stat = (comm: string, state: string, ppid: number, start: number): string =>
  `4242 (${comm}) ${state} ${ppid} 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 ${start} 2445312 200 18446744073709551615\n`;

describe('parseProcStat', () => {
  it('reads state, parent and start time', () => {
    expect(parseProcStat(stat('probe', 'S', 17, 98765))).toEqual({ state: 'S', ppid: 17, startTime: 98765 });
  });

  it('copes with spaces and parentheses in the command name', () => {
    expect(parseProcStat(stat('a) b (c', 'R', 1, 5))).toEqual({ state: 'R', ppid: 1, startTime: 5 });
  });

  it('refuses text that is not a stat line', () => {
    expect(parseProcStat('garbage')).toBeUndefined();
  });
});

describe('isRunning', () => {
  it('is true only for the same start time and a live state', () => {
    const live = parseProcStat(stat('p', 'S', 1, 100));
    expect(isRunning(live, 100)).toBe(true);
    expect(isRunning(live, 101)).toBe(false);
    expect(isRunning(parseProcStat(stat('p', 'Z', 1, 100)), 100)).toBe(false);
    expect(isRunning(undefined, 100)).toBe(false);
  });
});

describe('readProcStat', () => {
  it('reads from the proc root it is given and says undefined for a missing pid', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tsc-proc-'));
    try {
      await mkdir(join(root, '4242'));
      await writeFile(join(root, '4242', 'stat'), stat('probe', 'S', 9, 777));
      expect(await readProcStat(root, 4242)).toEqual({ state: 'S', ppid: 9, startTime: 777 });
      expect(await readProcStat(root, 4243)).toBeUndefined();
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
