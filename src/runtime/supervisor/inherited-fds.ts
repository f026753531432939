import { closeSync, readdirSync, readFileSync } from 'node:fs';

const O_CLOEXEC = 0o2000000;

/**
 * Closes the file descriptors this process inherited beyond stdin, stdout and stderr. Node opens its
 * own with O_CLOEXEC, so one without the flag (as /proc/self/fdinfo shows it) came from the parent:
 * a long-lived daemon must not keep its starter's pipes or files open. Returns the fds closed.
 */
export function closeInheritedFds(procSelf = '/proc/self'): number[] {
  const closed: number[] = [];
  let fds: string[];
  try {
    fds = readdirSync(`${procSelf}/fd`);
  } catch {
    return closed;
  }
  for (const name of fds) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`${procSelf}/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags === undefined || (parseInt(flags, 8) & O_CLOEXEC) !== 0) continue;
      closeSync(fd);
      closed.push(fd);
    } catch {
      // Gone meanwhile (the directory's own fd, for one).
    }
  }
  return closed;
}
