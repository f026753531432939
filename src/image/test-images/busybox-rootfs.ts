import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { execa } from 'execa';
import type { TarWriteEntry } from '../tar/tar-writer.js';
import { layerTar } from './oci-archive-builder.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n';
const GROUP = 'root:x:0:\nnogroup:x:65534:\n';

/** Directories every test rootfs has, with their modes (mount points included). */
const BASE_DIRS: Record<string, number> = {
  bin: 0o755, dev: 0o755, etc: 0o755, proc: 0o755, root: 0o700, sbin: 0o755, sys: 0o755,
  tmp: 0o1777, usr: 0o755, 'usr/bin': 0o755, 'usr/sbin': 0o755, var: 0o755,
};

/**
 * The layer of a minimal busybox rootfs: a static busybox at /bin/busybox, a hardlink for each
 * applet it lists (`busybox --list-full`), /etc/passwd and /etc/group, /tmp. Entries are sorted
 * (directories first), so the same busybox always gives the same tar.
 */
export async function busyboxLayer(busyboxPath: string): Promise<Buffer> {
  const binary = await readFile(busyboxPath);
  const { stdout } = await execa(busyboxPath, ['--list-full']);
  const applets = stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '' && l !== 'bin/busybox' && !l.includes('..')).sort();
  const dirs = new Map<string, number>(Object.entries(BASE_DIRS));
  for (const applet of applets) {
    for (let dir = posix.dirname(applet); dir !== '.'; dir = posix.dirname(dir)) if (!dirs.has(dir)) dirs.set(dir, 0o755);
  }
  const entries: { entry: TarWriteEntry; data?: Buffer }[] = [...dirs.keys()].sort().map((dir) => ({
    entry: { path: `${dir}/`, type: 'directory', mode: dirs.get(dir) as number },
  }));
  entries.push({ entry: { path: 'bin/busybox', type: 'file', mode: 0o755 }, data: binary });
  entries.push({ entry: { path: 'etc/group', type: 'file', mode: 0o644 }, data: Buffer.from(GROUP) });
  entries.push({ entry: { path: 'etc/passwd', type: 'file', mode: 0o644 }, data: Buffer.from(PASSWD) });
  for (const applet of applets) entries.push({ entry: { path: applet, type: 'hardlink', linkpath: 'bin/busybox' } });
  return layerTar(entries);
}

/** A layer holding one static program at `/usr/bin/<name>`. */
export async function programLayer(programPath: string, name: string): Promise<Buffer> {
  return layerTar([
    { entry: { path: 'usr/', type: 'directory' } },
    { entry: { path: 'usr/bin/', type: 'directory' } },
    { entry: { path: `usr/bin/${name}`, type: 'file', mode: 0o755 }, data: await readFile(programPath) },
  ]);
}
