import { execFileSync } from 'node:child_process';
import { chmod, copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface RootfsOptions {
  /** The static probe, build/native/tsc-probe; installed as /usr/bin/probe. */
  readonly probePath: string;
  /** A static busybox; default /bin/busybox (Debian's busybox-static). */
  readonly busyboxPath?: string;
}

/** Users of every test rootfs: root and `user` (1000:1000), who is also in group `extra` (1001). */
export const ROOTFS_USER = { name: 'user', uid: 1000, gid: 1000, extraGid: 1001 } as const;

let applets: string[] | undefined;

/** Paths (relative, e.g. `bin/sh`) of busybox's applets, as `busybox --list-full` prints them. */
function busyboxApplets(busybox: string): string[] {
  applets ??= execFileSync(busybox, ['--list-full'], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p.includes('/') && p !== 'bin/busybox');
  return applets;
}

/**
 * Builds a minimal rootfs in `dir`: busybox with its applet symlinks, the probe at /usr/bin/probe,
 * /etc/passwd and /etc/group, and the usual empty mount points.
 */
export async function buildRootfs(dir: string, options: RootfsOptions): Promise<void> {
  const busybox = options.busyboxPath ?? '/bin/busybox';
  for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc', 'proc', 'sys', 'dev', 'root', 'home/user', 'var']) {
    await mkdir(join(dir, d), { recursive: true });
  }
  await mkdir(join(dir, 'tmp'), { mode: 0o1777 });
  await chmod(join(dir, 'tmp'), 0o1777);
  await copyFile(busybox, join(dir, 'bin/busybox'));
  await chmod(join(dir, 'bin/busybox'), 0o755);
  for (const applet of busyboxApplets(busybox)) {
    await mkdir(dirname(join(dir, applet)), { recursive: true });
    await symlink('/bin/busybox', join(dir, applet));
  }
  await copyFile(options.probePath, join(dir, 'usr/bin/probe'));
  await chmod(join(dir, 'usr/bin/probe'), 0o755);
  const u = ROOTFS_USER;
  await writeFile(join(dir, 'etc/passwd'), `root:x:0:0:root:/root:/bin/sh\n${u.name}:x:${u.uid}:${u.gid}:${u.name}:/home/${u.name}:/bin/sh\n`);
  await writeFile(join(dir, 'etc/group'), `root:x:0:\n${u.name}:x:${u.gid}:\nextra:x:${u.extraGid}:${u.name}\n`);
  await writeFile(join(dir, 'etc/hostname'), 'rootfs\n');
}
