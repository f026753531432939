/** The media types of the OCI image spec and of Docker's schema 2 that tscompose reads and writes. */
export const MediaType = {
  ociLayout: 'application/vnd.oci.layout.header.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

export function isIndexMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList;
}

export function isManifestMediaType(mediaType: string | undefined): boolean {
  return mediaType === MediaType.ociManifest || mediaType === MediaType.dockerManifest;
}

/**
 * True for every layer media type tscompose can unpack: plain, gzip and zstd tars of the OCI spec
 * (including the non-distributable variants) and Docker's rootfs diffs. Encrypted layers are not.
 */
export function isLayerMediaType(mediaType: string): boolean {
  if (mediaType.includes('+encrypted')) return false;
  return /^application\/vnd\.oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+gzip|\+zstd)?$/.test(mediaType)
    || /^application\/vnd\.docker\.image\.rootfs\.(foreign\.)?diff\.tar(\.gzip)?$/.test(mediaType);
}

/** Annotation keys of index.json entries. */
export const Annotation = {
  /** The OCI ref name; tscompose writes the full normalised image name here. */
  refName: 'org.opencontainers.image.ref.name',
  /** tscompose's own record of the full image name. */
  imageName: 'io.tscompose.image.name',
  /** The full image name as containerd and Docker write it in archives. */
  containerdName: 'io.containerd.image.name',
} as const;
