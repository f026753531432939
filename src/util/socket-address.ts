import { open, type FileHandle } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** The longest path a unix socket address holds: sun_path is 108 bytes with its NUL. */
export const SUN_PATH_MAX = 107;

/** An address a unix socket can be bound or connected to, standing for a path that may be longer. */
export interface SocketAddress {
  /** The path itself when it fits, else `/proc/self/fd/N/<name>` through a descriptor of its directory. */
  readonly address: string;
  /** Closes the directory's descriptor (if one was opened); the address means nothing after. */
  release(): Promise<void>;
}

/**
 * An address for the unix socket at `path` that fits sun_path. A path too long for it (a deep data
 * or runtime root) is reached through a descriptor of its directory, so the socket still lives where
 * its path says and no second, shorter location is needed. Keep it until the socket is done with
 * the address: a listening socket's file is unlinked through it when the server closes.
 */
export async function socketAddress(path: string): Promise<SocketAddress> {
  if (Buffer.byteLength(path) <= SUN_PATH_MAX) return { address: path, release: () => Promise.resolve() };
  const dir: FileHandle = await open(dirname(path), 'r');
  const address = `/proc/self/fd/${dir.fd}/${basename(path)}`;
  let released: Promise<void> | undefined;
  return { address, release: () => (released ??= dir.close()) };
}

/** Runs `use` with an address for the socket at `path` (see {@link socketAddress}), released once it settles. */
export async function withSocketAddress<T>(path: string, use: (address: string) => Promise<T>): Promise<T> {
  const handle = await socketAddress(path);
  try {
    return await use(handle.address);
  } finally {
    await handle.release();
  }
}
