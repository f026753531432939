import { readFile, rm } from 'node:fs/promises';
import { TscError } from '../../errors/index.js';
import type { ContentStore } from '../content-store.js';
import type { Digest } from '../digest.js';
import { nameOfDescriptor, setName } from '../image-names.js';
import { isIndexMediaType, isLayerMediaType, isManifestMediaType } from '../media-types.js';
import { parseConfigFile, parseIndex, parseJson, parseManifest, type Descriptor, type Platform } from '../oci-types.js';
import { normalizeName } from '../reference.js';
import { fromDockerManifest, type DockerArchiveItem } from './docker-manifest.js';
import { readArchive, type ArchiveFiles } from './read-archive.js';
import type { Candidate } from './candidate.js';

export interface LoadedImage {
  /** Full normalised names; empty when the archive names none. */
  names: string[];
  digest: Digest;
}

type JsonOf = (digest: Digest, subject: string) => Promise<unknown>;

function invalid(archive: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `image archive ${archive}: ${why}`, {
    hint: 'the file is not an OCI or docker-save archive, or it is damaged or incomplete',
  });
}

async function pickManifest(archive: string, descriptor: Descriptor, json: JsonOf, platform: Platform): Promise<Descriptor> {
  if (isManifestMediaType(descriptor.mediaType)) return descriptor;
  if (!isIndexMediaType(descriptor.mediaType)) throw invalid(archive, `${descriptor.digest} has the unsupported media type ${descriptor.mediaType}`);
  const index = parseIndex(await json(descriptor.digest, `index ${descriptor.digest}`), `index ${descriptor.digest}`);
  const match = index.manifests.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture);
  const only = index.manifests.length === 1 ? index.manifests[0] : undefined;
  const chosen = match ?? only;
  if (chosen === undefined) throw invalid(archive, `index ${descriptor.digest} has no image for ${platform.os}/${platform.architecture}`);
  return pickManifest(archive, chosen, json, platform);
}

async function describeManifest(archive: string, manifest: Descriptor, json: JsonOf, names: string[]): Promise<Candidate> {
  const parsed = parseManifest(await json(manifest.digest, `manifest ${manifest.digest}`), `manifest ${manifest.digest}`);
  const config = parseConfigFile(await json(parsed.config.digest, `config ${parsed.config.digest}`), `config ${parsed.config.digest}`);
  if (config.rootfs.diff_ids.length !== parsed.layers.length) throw invalid(archive, `manifest ${manifest.digest} and its config disagree on the number of layers`);
  for (const layer of parsed.layers) {
    if (!isLayerMediaType(layer.mediaType)) throw invalid(archive, `layer ${layer.digest} has the unsupported media type ${layer.mediaType}`);
  }
  return {
    names,
    manifest: { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size },
    blobs: [manifest.digest, parsed.config.digest, ...parsed.layers.map((l) => l.digest)],
    configDigest: parsed.config.digest,
  };
}

async function fromOciLayout(archive: string, files: ArchiveFiles, json: JsonOf, platform: Platform): Promise<Candidate[]> {
  const indexFile = files.get('index.json');
  if (indexFile?.data === undefined) throw invalid(archive, 'index.json is missing or too large');
  const index = parseIndex(parseJson(indexFile.data, `${archive}: index.json`), `${archive}: index.json`);
  const out: Candidate[] = [];
  for (const descriptor of index.manifests) {
    const name = nameOfDescriptor(descriptor);
    const manifest = await pickManifest(archive, descriptor, json, platform);
    out.push(await describeManifest(archive, manifest, json, name === undefined ? [] : [name]));
  }
  return out;
}

function dockerItems(archive: string, files: ArchiveFiles): DockerArchiveItem[] | undefined {
  const file = files.get('manifest.json');
  if (file === undefined) return undefined;
  if (file.data === undefined) throw invalid(archive, 'manifest.json is too large');
  const value = parseJson(file.data, `${archive}: manifest.json`);
  if (!Array.isArray(value)) throw invalid(archive, 'manifest.json is not a list');
  return value as DockerArchiveItem[];
}

/** Gather the images of an archive, merging names that only Docker's manifest.json records. */
async function candidatesOf(archive: string, files: ArchiveFiles, json: JsonOf, platform: Platform): Promise<Candidate[]> {
  const items = dockerItems(archive, files);
  if (files.get('index.json') === undefined) {
    if (items === undefined) throw invalid(archive, 'it has neither index.json (OCI) nor manifest.json (docker save)');
    return items.map((item) => fromDockerManifest(archive, item, files));
  }
  const candidates = await fromOciLayout(archive, files, json, platform);
  for (const candidate of candidates) {
    if (candidate.names.length > 0 || items === undefined) continue;
    const item = items.find((i) => files.get(String(i.Config))?.staged.digest === candidate.configDigest);
    candidate.names = (item?.RepoTags ?? []).map((tag) => normalizeName(tag));
  }
  return candidates;
}

/**
 * Load an OCI archive (a tar of an image layout) or a `docker save` archive, plain, gzip or zstd:
 * blobs are verified and moved into the store, then the names are recorded in one index update.
 */
export async function loadArchive(content: ContentStore, archive: string, platform: Platform): Promise<LoadedImage[]> {
  const ingest = await content.ingestDir();
  try {
    const files = await readArchive(archive, ingest);
    const json: JsonOf = async (digest, subject) => {
      const staged = files.byDigest.get(digest);
      if (staged !== undefined) return parseJson(await readFile(staged.path), `${archive}: ${subject}`);
      if (await content.hasBlob(digest)) return content.readJson(digest);
      throw invalid(archive, `${subject} is missing`);
    };
    const candidates = await candidatesOf(archive, files, json, platform);
    return await content.updateIndex(async (index) => {
      for (const candidate of candidates) {
        for (const digest of candidate.blobs) {
          if (!files.byDigest.has(digest) && !(await content.hasBlob(digest))) {
            throw invalid(archive, `blob ${digest} of image ${candidate.manifest.digest} is missing`);
          }
        }
      }
      const adopted = new Set<Digest>();
      const loaded: LoadedImage[] = [];
      for (const candidate of candidates) {
        for (const digest of candidate.blobs) {
          const staged = files.byDigest.get(digest);
          if (staged === undefined || adopted.has(digest)) continue;
          await content.adopt(staged);
          adopted.add(digest);
        }
        if (candidate.manifestData !== undefined) await content.writeBlob(candidate.manifestData);
        if (candidate.names.length === 0) setName(index, candidate.manifest, undefined);
        for (const name of candidate.names) setName(index, candidate.manifest, name);
        loaded.push({ names: candidate.names, digest: candidate.manifest.digest });
      }
      return loaded;
    });
  } finally {
    await rm(ingest, { recursive: true, force: true });
  }
}
