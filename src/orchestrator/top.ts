import { readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One process as `ps -ef` shows it (the columns `docker top` prints). */
export interface ProcessRow {
  uid: string;
  pid: number;
  ppid: number;
  /** CPU use over its lifetime, percent of one CPU, rounded down. */
  c: number;
  stime: string;
  tty: string;
  time: string;
  cmd: string;
}

export interface ProcFs {
  /** Default `/proc`. */
  procRoot?: string;
  /** Where cgroup hierarchies are mounted; default `/sys/fs/cgroup`. */
  cgroupRoot?: string;
  /** Clock ticks per second (`getconf CLK_TCK`); 100 on Linux. */
  ticks?: number;
  now?: () => Date;
  /** uid → user name; default the host's /etc/passwd, as `ps` on the host would show. */
  userName?: (uid: number) => string | undefined;
}

async function text(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The pids of a container, from the cgroup its first process is in (every process of the container
 * is there, exec'd ones included). Without a cgroup of its own (no cgroup manager on this host), the
 * processes that share its pid namespace.
 */
export async function containerPids(pid: number, fs: ProcFs = {}): Promise<number[]> {
  const procRoot = fs.procRoot ?? '/proc';
  const cgroupRoot = fs.cgroupRoot ?? '/sys/fs/cgroup';
  for (const line of (await text(join(procRoot, String(pid), 'cgroup')))?.split('\n') ?? []) {
    const [hierarchy, controllers, path] = line.split(':', 3);
    if (path === undefined || path === '/' || hierarchy === undefined) continue;
    const dirs = hierarchy === '0' && controllers === '' ? [join(cgroupRoot, 'unified', path), join(cgroupRoot, path)]
      : (controllers ?? '').split(',').filter((c) => c === 'pids' || c === 'memory' || c === 'cpu').map((c) => join(cgroupRoot, c, path));
    for (const dir of dirs) {
      const procs = await text(join(dir, 'cgroup.procs'));
      const pids = procs?.split('\n').filter((l) => l !== '').map(Number) ?? [];
      if (pids.includes(pid)) return pids.sort((a, b) => a - b);
    }
  }
  return pidNamespaceMembers(pid, procRoot);
}

async function pidNamespaceMembers(pid: number, procRoot: string): Promise<number[]> {
  const ns = await readlink(join(procRoot, String(pid), 'ns', 'pid')).catch(() => undefined);
  if (ns === undefined) return [];
  const out: number[] = [];
  for (const entry of await readdir(procRoot)) {
    if (!/^\d+$/.test(entry)) continue;
    if ((await readlink(join(procRoot, entry, 'ns', 'pid')).catch(() => undefined)) === ns) out.push(Number(entry));
  }
  return out.sort((a, b) => a - b);
}

/** The rows `top` prints for these pids; a process that ended meanwhile is left out. */
export async function processRows(pids: readonly number[], fs: ProcFs = {}): Promise<ProcessRow[]> {
  const procRoot = fs.procRoot ?? '/proc';
  const ticks = fs.ticks ?? 100;
  const now = (fs.now ?? (() => new Date()))();
  const uptime = Number((await text(join(procRoot, 'uptime')))?.split(' ')[0] ?? '0');
  const bootMs = now.getTime() - uptime * 1000;
  const names = fs.userName ?? (await passwdNames());
  const rows: ProcessRow[] = [];
  for (const pid of pids) {
    const stat = await text(join(procRoot, String(pid), 'stat'));
    const status = await text(join(procRoot, String(pid), 'status'));
    if (stat === undefined || status === undefined) continue;
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const field = (n: number): number => Number(f[n - 3] ?? '0');
    const cpuTicks = field(14) + field(15);
    const started = field(22) / ticks;
    const elapsed = Math.max(uptime - started, 1e-9);
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? '0');
    const cmdline = (await text(join(procRoot, String(pid), 'cmdline')))?.split('\0').filter((a) => a !== '').join(' ') ?? '';
    rows.push({
      uid: names(uid) ?? String(uid),
      pid,
      ppid: field(4),
      c: Math.floor((cpuTicks / ticks / elapsed) * 100),
      stime: startTime(new Date(bootMs + started * 1000), now),
      tty: ttyName(field(7)),
      time: cpuTime(cpuTicks / ticks),
      cmd: cmdline === '' ? `[${comm}]` : cmdline,
    });
  }
  return rows;
}

/** `ps`'s STIME: the time of day for a process started today, else the month and day. */
export function startTime(at: Date, now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (at.toDateString() === now.toDateString()) return `${pad(at.getHours())}:${pad(at.getMinutes())}`;
  return `${at.toLocaleString('en-US', { month: 'short' })}${pad(at.getDate())}`;
}

/** `ps`'s TIME: cumulative CPU time as `[DD-]HH:MM:SS`. */
export function cpuTime(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const days = Math.floor(s / 86400);
  const hms = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
  return days > 0 ? `${days}-${hms}` : hms;
}

/** The controlling terminal from stat's tty_nr: `?` for none, `pts/N`, `ttyN`. */
export function ttyName(ttyNr: number): string {
  if (ttyNr === 0) return '?';
  const major = (ttyNr >> 8) & 0xfff;
  const minor = (ttyNr & 0xff) | ((ttyNr >> 12) & 0xfff00);
  if (major >= 136 && major <= 143) return `pts/${(major - 136) * 256 + minor}`;
  if (major === 4) return `tty${minor}`;
  return '?';
}

async function passwdNames(): Promise<(uid: number) => string | undefined> {
  const byUid = new Map<number, string>();
  for (const line of (await text('/etc/passwd'))?.split('\n') ?? []) {
    const [name, , uid] = line.split(':');
    if (name !== undefined && uid !== undefined && /^\d+$/.test(uid) && !byUid.has(Number(uid))) byUid.set(Number(uid), name);
  }
  return (uid) => byUid.get(uid);
}
