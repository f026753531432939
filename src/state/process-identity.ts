import { readFileSync } from 'node:fs';

/** A process as recorded in state: its pid only counts while the start time still matches. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  startTime: number;
}

/** Of /proc/<pid>/stat: the state (field 3: R, S, Z, ...) and the start time; undefined when there is no such process. */
function readStat(pid: number, procRoot: string): { state: string; startTime: number } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(rest[19]);
  return Number.isFinite(startTime) ? { state: rest[0] ?? '', startTime } : undefined;
}

/** The start time of a process, or undefined when there is no such process. */
export function readStartTime(pid: number, procRoot = '/proc'): number | undefined {
  return readStat(pid, procRoot)?.startTime;
}

/**
 * True while the very process recorded is alive: a reused pid does not count, nor a zombie (it ended,
 * its parent has not reaped it yet, and it holds nothing any more).
 */
export function isAlive(identity: ProcessIdentity, procRoot = '/proc'): boolean {
  const stat = readStat(identity.pid, procRoot);
  return stat !== undefined && stat.startTime === identity.startTime && stat.state !== 'Z';
}

export function identityOf(pid: number, procRoot = '/proc'): ProcessIdentity | undefined {
  const startTime = readStartTime(pid, procRoot);
  return startTime === undefined ? undefined : { pid, startTime };
}
