import { sha256Digest, type Digest } from './digest.js';

/**
 * The chain ids of a stack of layers (bottom first), as the OCI image spec defines them: the first
 * is its diff id, each next one `sha256(parent chain id + " " + diff id)`. A chain id names a layer
 * together with everything under it, so equal ids mean equal filesystems.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    const parent = out[out.length - 1];
    out.push(parent === undefined ? diffId : sha256Digest(`${parent} ${diffId}`));
  }
  return out;
}
