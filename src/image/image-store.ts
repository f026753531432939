import { TscError } from '../errors/index.js';
import { nearest } from '../util/suggest.js';
import { familiarName, parseReference, formatReference } from './reference.js';
import { chainIds } from './chain-id.js';
import { ContentStore, type ContentStoreOptions } from './content-store.js';
import type { Digest } from './digest.js';
import { imageConfigOf, type ImageConfig } from './image-config.js';
import { namesByDigest, setName } from './image-names.js';
import { isLayerMediaType, isManifestMediaType } from './media-types.js';
import { parseConfigFile, parseManifest, type Descriptor, type ImageConfigFile, type ImageManifest, type Platform } from './oci-types.js';
import { loadArchive, type LoadedImage } from './archive/load-archive.js';
import { saveArchive } from './archive/save-archive.js';
import { removeImage, type RemoveOptions, type RemovedImage } from './remove-image.js';
import type { LayerSource } from './layer-store.js';

export interface LayerInfo {
  digest: Digest;
  mediaType: string;
  /** Size of the blob as stored (compressed, if it is). */
  size: number;
  diffId: Digest;
  chainId: Digest;
}

export interface ImageSummary {
  /** Full normalised names (`docker.io/library/busybox:latest`); empty for an unnamed image. */
  names: string[];
  /** The manifest digest. */
  digest: Digest;
  /** The config digest: Docker's image id. */
  id: Digest;
  /** Bytes of manifest, config and layer blobs. */
  size: number;
  created?: string;
}

export interface ImageDetails extends ImageSummary {
  manifestDescriptor: Descriptor;
  manifest: ImageManifest;
  configFile: ImageConfigFile;
  config: ImageConfig;
  architecture?: string;
  os?: string;
  layers: LayerInfo[];
}

export interface ImageStoreOptions extends ContentStoreOptions {
  /** The platform picked from multi-platform archives. Default: linux and this machine's architecture. */
  platform?: Platform;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

export function hostPlatform(): Platform {
  return { os: 'linux', architecture: ARCH[process.arch] ?? process.arch };
}

/**
 * The images of one data root: names and content in an OCI layout (see {@link ContentStore}),
 * loaded from and saved to archives without a registry.
 */
export class ImageStore {
  readonly content: ContentStore;
  private readonly platform: Platform;

  constructor(root: string, options: ImageStoreOptions = {}) {
    this.content = new ContentStore(root, options);
    this.platform = options.platform ?? hostPlatform();
  }

  async list(): Promise<ImageSummary[]> {
    const byDigest = namesByDigest(await this.content.readIndex());
    const out: ImageSummary[] = [];
    for (const [digest, names] of byDigest) {
      const details = await this.details(digest, names);
      out.push({ names, digest, id: details.id, size: details.size, ...(details.created === undefined ? {} : { created: details.created }) });
    }
    return out;
  }

  async inspect(name: string): Promise<ImageDetails> {
    const { digest, names } = await this.resolve(name);
    return this.details(digest, names);
  }

  /** Which manifest `name` means: a name, `name@digest`, a manifest digest, or an image id (or its prefix). */
  async resolve(name: string): Promise<{ digest: Digest; names: string[]; byName?: string }> {
    const index = await this.content.readIndex();
    const byDigest = namesByDigest(index);
    const hex = /^(?:sha256:)?([0-9a-f]{6,64})$/.exec(name)?.[1];
    let wanted: string | undefined;
    try {
      const ref = parseReference(name);
      if (ref.digest !== undefined) {
        const found = byDigest.get(ref.digest as Digest);
        if (found !== undefined) return { digest: ref.digest as Digest, names: found };
      } else {
        wanted = formatReference(ref);
        for (const [digest, names] of byDigest) if (names.includes(wanted)) return { digest, names, byName: wanted };
      }
    } catch (err) {
      if (hex === undefined) throw err;
    }
    if (hex !== undefined) {
      const matches: Digest[] = [];
      for (const digest of byDigest.keys()) {
        const id = (await this.manifest(digest)).config.digest;
        if (digest.slice(7).startsWith(hex) || id.slice(7).startsWith(hex)) matches.push(digest);
      }
      const [only] = matches;
      if (matches.length === 1 && only !== undefined) return { digest: only, names: byDigest.get(only) ?? [] };
      if (matches.length > 1) {
        throw new TscError('IMAGE_NOT_FOUND', `image id prefix \`${name}\` matches ${matches.length} images`, {
          hint: 'give more digits of the id, or the image name',
        });
      }
    }
    const known = [...byDigest.values()].flat();
    const guess = nearest(wanted ?? name, [...known, ...known.map((n) => familiarName(parseReference(n)))]);
    throw new TscError('IMAGE_NOT_FOUND', `image \`${name}\` is not in the image store`, {
      hint: guess !== undefined ? `did you mean \`${guess}\`?` : 'load it from an archive first, or check the name with the image list',
    });
  }

  /** Give the image `source` the name `target` (moved off any image that had it). */
  async tag(source: string, target: string): Promise<void> {
    const { digest } = await this.resolve(source);
    const ref = parseReference(target);
    if (ref.digest !== undefined) {
      throw new TscError('IMAGE_INVALID', `cannot tag with \`${target}\`: a tag cannot contain a digest`, {
        hint: 'use a name like `app:1` or `localhost:5000/app:1`',
      });
    }
    const descriptor = await this.manifestDescriptor(digest);
    await this.content.updateIndex((index) => setName(index, descriptor, formatReference(ref)));
  }

  /** Remove a name (or, by digest or id, the whole image); blobs no other image uses are deleted. */
  async remove(name: string, options: RemoveOptions = {}): Promise<RemovedImage> {
    const resolved = await this.resolve(name);
    return removeImage(this.content, resolved, options);
  }

  async loadArchive(path: string): Promise<LoadedImage[]> {
    return loadArchive(this.content, path, this.platform);
  }

  /** Write the named images (names, digests or ids) into one OCI archive that `docker load` reads too. */
  async saveArchive(names: readonly string[], path: string): Promise<void> {
    const images: { details: ImageDetails; names: string[] }[] = [];
    for (const name of names) {
      const resolved = await this.resolve(name);
      const details = await this.details(resolved.digest, resolved.names);
      images.push({ details, names: resolved.byName !== undefined ? [resolved.byName] : resolved.names });
    }
    await saveArchive(this.content, images, path);
  }

  /** The layers of an image, bottom first, as the layer store unpacks them. */
  async layerSources(name: string): Promise<LayerSource[]> {
    const details = await this.inspect(name);
    return details.layers.map((layer) => ({ ...layer, blobPath: this.content.blobPath(layer.digest) }));
  }

  async manifest(digest: Digest): Promise<ImageManifest> {
    return parseManifest(await this.content.readJson(digest), `manifest ${digest}`);
  }

  private async manifestDescriptor(digest: Digest): Promise<Descriptor> {
    const index = await this.content.readIndex();
    const found = index.manifests.find((d) => d.digest === digest);
    if (found === undefined) throw new TscError('IMAGE_NOT_FOUND', `image ${digest} is not in the image store`, { hint: 'load it again' });
    return { mediaType: found.mediaType, digest: found.digest, size: found.size };
  }

  private async details(digest: Digest, names: string[]): Promise<ImageDetails> {
    const manifestDescriptor = await this.manifestDescriptor(digest);
    if (!isManifestMediaType(manifestDescriptor.mediaType)) {
      throw new TscError('IMAGE_INVALID', `image ${digest} has the unsupported media type ${manifestDescriptor.mediaType}`, {
        hint: 'tscompose stores single-platform image manifests; load the image again',
      });
    }
    const manifest = await this.manifest(digest);
    const configFile = parseConfigFile(await this.content.readJson(manifest.config.digest), `config ${manifest.config.digest}`);
    const diffIds = configFile.rootfs.diff_ids;
    if (diffIds.length !== manifest.layers.length) {
      throw new TscError('IMAGE_INVALID', `image ${digest} has ${manifest.layers.length} layers but ${diffIds.length} diff ids`, {
        hint: 'the image is corrupt; remove it and load it again',
      });
    }
    const chain = chainIds(diffIds);
    const layers = manifest.layers.map((layer, i): LayerInfo => {
      if (!isLayerMediaType(layer.mediaType)) {
        throw new TscError('IMAGE_INVALID', `image ${digest}: layer ${layer.digest} has the unsupported media type ${layer.mediaType}`, {
          hint: 'tscompose unpacks plain, gzip and zstd tar layers',
        });
      }
      return { digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffId: diffIds[i] as Digest, chainId: chain[i] as Digest };
    });
    const size = manifestDescriptor.size + manifest.config.size + layers.reduce((sum, l) => sum + l.size, 0);
    const out: ImageDetails = {
      names, digest, id: manifest.config.digest, size, manifestDescriptor, manifest, configFile,
      config: imageConfigOf(configFile), layers,
    };
    if (typeof configFile.created === 'string') out.created = configFile.created;
    if (typeof configFile.architecture === 'string') out.architecture = configFile.architecture;
    if (typeof configFile.os === 'string') out.os = configFile.os;
    return out;
  }
}
