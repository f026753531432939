import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-file.js';

/** The files a container's network gives it, bind-mounted at /etc/hosts, /etc/resolv.conf and /etc/hostname. */
export interface SandboxFilePaths {
  readonly hosts: string;
  readonly resolvConf: string;
  readonly hostname: string;
}

export interface SandboxContent {
  /** Absent: a copy of the host's /etc/hosts. */
  readonly hosts?: string;
  /** Absent: a copy of the host's resolv.conf. */
  readonly resolvConf?: string;
  readonly hostname: string;
}

/** Per-container network files under `<dir>/<container>/`, kept until the container is removed. */
export class SandboxStore {
  constructor(private readonly dir: string, private readonly hostFiles = { hosts: '/etc/hosts', resolvConf: '/etc/resolv.conf' }) {}

  paths(container: string): SandboxFilePaths {
    const base = join(this.dir, container);
    return { hosts: join(base, 'hosts'), resolvConf: join(base, 'resolv.conf'), hostname: join(base, 'hostname') };
  }

  async write(container: string, content: SandboxContent): Promise<SandboxFilePaths> {
    const paths = this.paths(container);
    await mkdir(join(this.dir, container), { recursive: true });
    await writeFileAtomic(paths.hostname, `${content.hostname}\n`, 0o644);
    await this.writeOrCopy(paths.hosts, content.hosts, this.hostFiles.hosts);
    await this.writeOrCopy(paths.resolvConf, content.resolvConf, this.hostFiles.resolvConf);
    return paths;
  }

  private async writeOrCopy(path: string, content: string | undefined, hostFile: string): Promise<void> {
    if (content !== undefined) await writeFileAtomic(path, content, 0o644);
    else await copyFile(hostFile, path).catch(() => writeFileAtomic(path, '', 0o644));
  }

  async remove(container: string): Promise<void> {
    await rm(join(this.dir, container), { recursive: true, force: true });
  }

  /** Removes the files of the containers `isLeftover` names; returns their names. */
  async sweep(isLeftover: (name: string) => boolean): Promise<string[]> {
    const gone = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => isLeftover(name));
    for (const name of gone) await this.remove(name);
    return gone;
  }
}
