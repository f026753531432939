import { readFileSync } from 'node:fs';

/** A process as recorded in state: its pid only counts while the start time still matches. */
export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: clock ticks since boot when the process started. */
  startTime: number;
}

/** The start time of a live process, or undefined when there is no such process. */
export function readStartTime(pid: number, procRoot = '/proc'): number | undefined {
  let stat: string;
  try {
    stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const value = Number(rest[19]);
  return Number.isFinite(value) ? value : undefined;
}

/** True while the very process recorded is alive (a reused pid does not count). */
export function isAlive(identity: ProcessIdentity, procRoot = '/proc'): boolean {
  return readStartTime(identity.pid, procRoot) === identity.startTime;
}

export function identityOf(pid: number, procRoot = '/proc'): ProcessIdentity | undefined {
  const startTime = readStartTime(pid, procRoot);
  return startTime === undefined ? undefined : { pid, startTime };
}
