import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProcStat {
  /** Field 3: R, S, D, Z (zombie), X (dead), ... */
  readonly state: string;
  readonly ppid: number;
  /** Field 22: clock ticks after boot. */
  readonly startTime: number;
}

/** Parses /proc/<pid>/stat. The command name may hold spaces and parentheses: fields resume after the last `)`. */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = text.slice(close + 2).trim().split(' ');
  // fields[0] is field 3 of the file.
  const state = fields[0];
  const ppid = Number(fields[1]);
  const startTime = Number(fields[19]);
  if (state === undefined || !Number.isInteger(ppid) || !Number.isInteger(startTime)) return undefined;
  return { state, ppid, startTime };
}

/** The stat of a pid, or undefined when there is no such process. */
export async function readProcStat(procRoot: string, pid: number): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(join(procRoot, String(pid), 'stat'), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
    throw err;
  }
}

/** Zombies and dead tasks still have a /proc entry but are not running. */
export function isRunning(stat: ProcStat | undefined, startTime: number): boolean {
  return stat !== undefined && stat.startTime === startTime && stat.state !== 'Z' && stat.state !== 'X';
}
