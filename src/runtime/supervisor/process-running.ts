import { readFileSync } from 'node:fs';
import { readStartTime } from '../../state/process-identity.js';

/**
 * Whether the very process recorded still runs: its start time matches and it is not a zombie (a
 * killed supervisor whose new parent has not reaped it yet holds nothing any more).
 */
export function isRunningProcess(identity: { pid: number; startTime: number }, procRoot = '/proc'): boolean {
  if (readStartTime(identity.pid, procRoot) !== identity.startTime) return false;
  try {
    const stat = readFileSync(`${procRoot}/${identity.pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}
