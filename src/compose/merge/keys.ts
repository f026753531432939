import { field } from './sequences.js';

/** `volumes` and `devices`: one mount per target path in the container. */
export function targetKey(entry: unknown): string {
  return field(entry, 'target');
}

/** `secrets` / `configs`: by target, which defaults to `<dir>/<source>`. */
export function mountKey(defaultDir: string): (entry: unknown) => string {
  return (entry) => {
    const target = field(entry, 'target');
    return target !== '' ? target : `${defaultDir}/${field(entry, 'source')}`;
  };
}

/** `ports`: one binding per host address, published port, container port and protocol. */
export function portKey(entry: unknown): string {
  const host = field(entry, 'host_ip', '0.0.0.0');
  return `${host}:${field(entry, 'published')}:${field(entry, 'target')}/${field(entry, 'protocol', 'tcp')}`;
}

/** `env_file`: by path. */
export function pathKey(entry: unknown): string {
  return field(entry, 'path');
}

/** `ipam.config`: by subnet. */
export function subnetKey(entry: unknown): string {
  return field(entry, 'subnet');
}
