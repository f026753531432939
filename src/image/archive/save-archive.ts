import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { ContentStore } from '../content-store.js';
import { digestHex, type Digest } from '../digest.js';
import { Annotation, MediaType } from '../media-types.js';
import type { Descriptor, ImageManifest } from '../oci-types.js';
import { familiarName, parseReference } from '../reference.js';
import { TarWriter } from '../tar/tar-writer.js';

/** What saveArchive needs of each image. */
export interface SavedImage {
  details: { digest: Digest; manifestDescriptor: Descriptor; manifest: ImageManifest };
  /** Full names to record; empty for an unnamed image. */
  names: string[];
}

function blobEntry(digest: Digest): string {
  return `blobs/sha256/${digestHex(digest)}`;
}

function indexOf(images: readonly SavedImage[]): Buffer {
  const manifests: Descriptor[] = [];
  for (const { details, names } of images) {
    const base = { mediaType: details.manifestDescriptor.mediaType, digest: details.digest, size: details.manifestDescriptor.size };
    if (names.length === 0) manifests.push(base);
    for (const name of names) manifests.push({ ...base, annotations: { [Annotation.containerdName]: name, [Annotation.refName]: name } });
  }
  return Buffer.from(`${JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ociIndex, manifests }, null, 2)}\n`);
}

/** Docker's manifest.json, pointing at the same blobs, so `docker load` reads the archive too. */
function dockerManifestOf(images: readonly SavedImage[]): Buffer {
  const items = images.map(({ details, names }) => ({
    Config: blobEntry(details.manifest.config.digest),
    RepoTags: names.length === 0 ? null : names.map((n) => familiarName(parseReference(n))),
    Layers: details.manifest.layers.map((l) => blobEntry(l.digest)),
  }));
  return Buffer.from(`${JSON.stringify(items)}\n`);
}

/**
 * Write images into one OCI archive at `path`: the image layout (`oci-layout`, `index.json` with
 * the names, `blobs/sha256/…`) plus Docker's `manifest.json`. Entries are sorted, owned by 0:0
 * and dated 0, so the same images always give the same bytes. Written aside and renamed.
 */
export async function saveArchive(content: ContentStore, images: readonly SavedImage[], path: string): Promise<void> {
  const blobs = new Set<Digest>();
  for (const { details } of images) {
    blobs.add(details.digest);
    blobs.add(details.manifest.config.digest);
    for (const layer of details.manifest.layers) blobs.add(layer.digest);
  }
  for (const digest of blobs) {
    if (!(await content.hasBlob(digest))) await content.readBlob(digest);
  }
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  let open = true;
  try {
    const tar = new TarWriter((chunk) => {
      for (let done = 0; done < chunk.length;) done += writeSync(fd, chunk, done, chunk.length - done);
    });
    tar.add({ path: 'blobs/', type: 'directory' });
    tar.add({ path: 'blobs/sha256/', type: 'directory' });
    for (const digest of [...blobs].sort()) {
      const file = content.blobPath(digest);
      tar.addFromFile({ path: blobEntry(digest), type: 'file', mode: 0o644 }, file, statSync(file).size);
    }
    tar.add({ path: 'index.json', type: 'file' }, indexOf(images));
    tar.add({ path: 'manifest.json', type: 'file' }, dockerManifestOf(images));
    tar.add({ path: 'oci-layout', type: 'file' }, Buffer.from(`${JSON.stringify({ imageLayoutVersion: '1.0.0' })}\n`));
    tar.finish();
    fsyncSync(fd);
    open = false;
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    if (open) closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
}
