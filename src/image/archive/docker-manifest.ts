import { TscError } from '../../errors/index.js';
import { detectFileCompression } from '../compression.js';
import { sha256Digest } from '../digest.js';
import { MediaType } from '../media-types.js';
import { parseConfigFile, parseJson, type Descriptor } from '../oci-types.js';
import { normalizeName } from '../reference.js';
import type { ArchiveFiles } from './read-archive.js';
import type { Candidate } from './candidate.js';

/** One entry of a `docker save` manifest.json. */
export interface DockerArchiveItem {
  Config?: unknown;
  RepoTags?: string[] | null;
  Layers?: unknown;
}

const LAYER_TYPE = { none: MediaType.ociLayer, gzip: MediaType.ociLayerGzip, zstd: MediaType.ociLayerZstd } as const;

function invalid(archive: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `image archive ${archive}: ${why}`, {
    hint: 'the docker-save archive is damaged or incomplete; save it again',
  });
}

/**
 * An OCI manifest for an image of a docker-save archive: its config blob as it is, its layer files
 * as layers (media type from their magic bytes). The JSON is written the same way every time, so
 * loading one archive twice gives one manifest digest.
 */
export function fromDockerManifest(archive: string, item: DockerArchiveItem, files: ArchiveFiles): Candidate {
  const configFile = typeof item.Config === 'string' ? files.get(item.Config) : undefined;
  if (configFile?.data === undefined) throw invalid(archive, `manifest.json names the config \`${String(item.Config)}\`, which is not in the archive`);
  const config = parseConfigFile(parseJson(configFile.data, `${archive}: ${String(item.Config)}`), `${archive}: ${String(item.Config)}`);
  if (!Array.isArray(item.Layers)) throw invalid(archive, 'manifest.json has an entry without Layers');
  const layers: Descriptor[] = item.Layers.map((path: unknown) => {
    const file = typeof path === 'string' ? files.get(path) : undefined;
    if (file === undefined) throw invalid(archive, `manifest.json names the layer \`${String(path)}\`, which is not in the archive`);
    const compression = detectFileCompression(file.staged.path);
    if (compression !== 'none' && compression !== 'gzip' && compression !== 'zstd') throw invalid(archive, `layer \`${String(path)}\` is ${compression}-compressed`);
    return { mediaType: LAYER_TYPE[compression], digest: file.staged.digest, size: file.staged.size };
  });
  if (config.rootfs.diff_ids.length !== layers.length) throw invalid(archive, `config ${String(item.Config)} lists ${config.rootfs.diff_ids.length} layers, manifest.json ${layers.length}`);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: configFile.staged.digest, size: configFile.staged.size },
    layers,
  };
  const data = Buffer.from(JSON.stringify(manifest));
  const digest = sha256Digest(data);
  return {
    names: (item.RepoTags ?? []).map((tag) => normalizeName(tag)),
    manifest: { mediaType: MediaType.ociManifest, digest, size: data.length },
    manifestData: data,
    blobs: [configFile.staged.digest, ...layers.map((l) => l.digest)],
    configDigest: configFile.staged.digest,
  };
}
