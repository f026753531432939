import type { Digest } from '../digest.js';
import type { Descriptor } from '../oci-types.js';

/** One image found in an archive, ready to be recorded in the store. */
export interface Candidate {
  /** Full normalised names; empty when the archive names none. */
  names: string[];
  manifest: Descriptor;
  /** A manifest written for a docker-save image, not yet in any store. */
  manifestData?: Buffer;
  /** Every blob the image needs: manifest (unless synthesised), config, layers. */
  blobs: Digest[];
  configDigest: Digest;
}
