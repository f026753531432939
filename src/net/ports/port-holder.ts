import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { PortProtocol } from './published-port.js';

/** The process that holds a port. */
export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

export function formatPortHolder(holder: PortHolder): string {
  return `pid ${holder.pid} (${holder.command})`;
}

/** The parts of procfs the lookup reads, so it can be pointed at another root. */
export interface ProcReader {
  readFile(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
  readlink(path: string): Promise<string>;
}

export function procReader(root = '/proc'): ProcReader {
  return {
    readFile: (path) => readFile(join(root, path), 'utf8'),
    readdir: (path) => readdir(join(root, path)),
    readlink: (path) => readlink(join(root, path)),
  };
}

const TCP_LISTEN = '0A';

/**
 * Finds who holds a local port: the socket's inode from /proc/net/{tcp,tcp6} (listening sockets)
 * or /proc/net/{udp,udp6}, then the process with that socket among its fds. Undefined when the
 * socket or its process cannot be seen (another pid namespace, permissions, a race).
 */
export async function findPortHolder(proc: ProcReader, port: number, protocol: PortProtocol): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const table of [`net/${protocol}`, `net/${protocol}6`]) {
    const text = await proc.readFile(table).catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      const state = fields[3];
      const inode = fields[9];
      if (local === undefined || inode === undefined || inode === '0') continue;
      if (protocol === 'tcp' && state !== TCP_LISTEN) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) === port) inodes.add(inode);
    }
  }
  if (inodes.size === 0) return undefined;
  const pids = (await proc.readdir('.').catch(() => [] as string[])).filter((p) => /^\d+$/.test(p));
  for (const pid of pids) {
    const fds = await proc.readdir(`${pid}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await proc.readlink(`${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined && inodes.has(inode)) {
        const command = (await proc.readFile(`${pid}/comm`).catch(() => '?')).trim();
        return { pid: Number(pid), command };
      }
    }
  }
  return undefined;
}
