import { TscError } from '../errors/index.js';
import { parseDigest, type Digest } from './digest.js';

export interface Platform {
  architecture: string;
  os: string;
  variant?: string;
}

/** An OCI content descriptor. */
export interface Descriptor {
  mediaType: string;
  digest: Digest;
  size: number;
  annotations?: Record<string, string>;
  platform?: Platform;
}

export interface ImageIndex {
  schemaVersion: 2;
  mediaType?: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The image configuration blob, as the OCI image spec and Docker write it. */
export interface ImageConfigFile {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  author?: string;
  config?: Record<string, unknown> | null;
  rootfs: { type: string; diff_ids: Digest[] };
  history?: unknown[];
}

function invalid(subject: string, why: string): TscError {
  return new TscError('IMAGE_INVALID', `${subject}: ${why}`, {
    hint: 'the image is corrupt or in a format tscompose does not read; load or pull it again',
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function parseDescriptor(value: unknown, subject: string): Descriptor {
  if (!isObject(value)) throw invalid(subject, 'a descriptor is not an object');
  if (typeof value.mediaType !== 'string') throw invalid(subject, 'a descriptor has no mediaType');
  if (typeof value.size !== 'number' || !Number.isSafeInteger(value.size) || value.size < 0) throw invalid(subject, 'a descriptor has no valid size');
  const out: Descriptor = { mediaType: value.mediaType, digest: parseDigest(value.digest, subject), size: value.size };
  const annotations = stringMap(value.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  const platform = value.platform;
  if (isObject(platform) && typeof platform.architecture === 'string' && typeof platform.os === 'string') {
    out.platform = { architecture: platform.architecture, os: platform.os };
    if (typeof platform.variant === 'string') out.platform.variant = platform.variant;
  }
  return out;
}

export function parseJson(data: Buffer | string, subject: string): unknown {
  try {
    return JSON.parse(data.toString());
  } catch (err) {
    throw invalid(subject, `not valid JSON (${(err as Error).message})`);
  }
}

export function parseIndex(value: unknown, subject: string): ImageIndex {
  if (!isObject(value) || value.schemaVersion !== 2 || !Array.isArray(value.manifests)) throw invalid(subject, 'not an image index (schemaVersion 2 with manifests)');
  const out: ImageIndex = { schemaVersion: 2, manifests: value.manifests.map((m) => parseDescriptor(m, subject)) };
  if (typeof value.mediaType === 'string') out.mediaType = value.mediaType;
  const annotations = stringMap(value.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  return out;
}

export function parseManifest(value: unknown, subject: string): ImageManifest {
  if (!isObject(value) || value.schemaVersion !== 2 || !Array.isArray(value.layers)) throw invalid(subject, 'not an image manifest (schemaVersion 2 with layers)');
  const out: ImageManifest = {
    schemaVersion: 2,
    config: parseDescriptor(value.config, subject),
    layers: value.layers.map((l) => parseDescriptor(l, subject)),
  };
  if (typeof value.mediaType === 'string') out.mediaType = value.mediaType;
  const annotations = stringMap(value.annotations);
  if (annotations !== undefined) out.annotations = annotations;
  return out;
}

export function parseConfigFile(value: unknown, subject: string): ImageConfigFile {
  if (!isObject(value)) throw invalid(subject, 'the image config is not an object');
  const rootfs = value.rootfs;
  if (!isObject(rootfs) || !Array.isArray(rootfs.diff_ids)) throw invalid(subject, 'the image config has no rootfs.diff_ids');
  return { ...value, rootfs: { type: String(rootfs.type ?? 'layers'), diff_ids: rootfs.diff_ids.map((d) => parseDigest(d, subject)) } } as ImageConfigFile;
}
