import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { TscError } from '../errors/index.js';

/** Owner and mode of a file written for a container. */
export interface FileOwnership {
  uid: number;
  gid: number;
  mode: number;
}

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
const PART = /^[a-zA-Z0-9_.-]+$/;

/**
 * Files tscompose writes for one container (its secrets and configs) to bind-mount them read-only:
 * `<root>/<container>/<path>`, private to root, dropped with the container.
 */
export class ContainerFiles {
  constructor(private readonly root: string) {}

  /** Writes `content` as `path` (one or more plain segments) of `container`'s files; returns its host path. */
  async write(container: string, path: string, content: Uint8Array | string, owner: FileOwnership): Promise<string> {
    const parts = path.split('/');
    if (!NAME.test(container) || parts.some((p) => !PART.test(p) || p === '.' || p === '..')) {
      throw new TscError('INTERNAL', `container file "${container}/${path}" has an unsafe name`);
    }
    const file = join(this.root, container, ...parts);
    await mkdir(join(this.root, container), { recursive: true, mode: 0o700 });
    await mkdir(dirname(file), { recursive: true, mode: 0o755 });
    await writeFile(file, content, { mode: 0o600 });
    await chown(file, owner.uid, owner.gid);
    await chmod(file, owner.mode);
    return file;
  }

  /** Drops every file of `container`; nothing when it has none. */
  async release(container: string): Promise<void> {
    if (!NAME.test(container)) return;
    await rm(join(this.root, container), { recursive: true, force: true });
  }
}
