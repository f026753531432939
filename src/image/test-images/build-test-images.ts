import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TscError } from '../../errors/index.js';
import type { Platform } from '../oci-types.js';
import { busyboxLayer, programLayer } from './busybox-rootfs.js';
import { layersImageLayers } from './layers-image.js';
import { writeOciArchive, type TestImage } from './oci-archive-builder.js';

/** The names of the images the test suite and the demo use. */
export const TEST_IMAGES = {
  busybox: 'tscompose-test/busybox:latest',
  probe: 'tscompose-test/probe:latest',
  layers: 'tscompose-test/layers:latest',
} as const;

/** Debian's busybox-static installs here. */
export const DEFAULT_BUSYBOX = '/bin/busybox';
/** Where `npm run build` puts the probe (src/native/probe/). */
export const DEFAULT_PROBE = fileURLToPath(new URL('../../../build/native/tsc-probe', import.meta.url));

/** Bump when the builder changes what it writes, so cached archives are rebuilt. */
const BUILDER_VERSION = '1';

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface TestImageOptions {
  busybox?: string;
  /** The static probe; the probe image is skipped when it does not exist. */
  probe?: string;
  platform?: Platform;
}

const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64' };

async function fingerprint(parts: (string | Buffer)[]): Promise<string> {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(createHash('sha256').update(part).digest());
  return hash.digest('hex').slice(0, 16);
}

/** Build `image` into `outDir` unless an archive of the same inputs is already there. */
async function cached(outDir: string, slug: string, inputs: (string | Buffer)[], make: () => Promise<TestImage>): Promise<string> {
  const path = join(outDir, `${slug}-${await fingerprint([BUILDER_VERSION, ...inputs])}.tar`);
  if (await stat(path).then(() => true, () => false)) return path;
  await writeOciArchive(await make(), path);
  return path;
}

/**
 * Build the test images as OCI archives in `outDir` and return image name → archive path:
 * `tscompose-test/busybox` (static busybox, Cmd `sh`), `tscompose-test/probe` (busybox plus
 * /usr/bin/probe, only when the probe is built) and `tscompose-test/layers` (three crafted layers,
 * see layers-image.ts). Archives are reproducible and cached by the content of their inputs.
 */
export async function buildTestImages(outDir: string, options: TestImageOptions = {}): Promise<Record<string, string>> {
  const busyboxPath = options.busybox ?? DEFAULT_BUSYBOX;
  if (!existsSync(busyboxPath)) {
    throw new TscError('IMAGE_NOT_FOUND', `cannot build the test images: ${busyboxPath} is missing`, {
      hint: 'install Debian\'s busybox-static package (apt-get install busybox-static)',
    });
  }
  const platform = options.platform ?? { os: 'linux', architecture: ARCH[process.arch] ?? process.arch };
  await mkdir(outDir, { recursive: true });
  const busybox = await readFile(busyboxPath);
  const arch = `${platform.os}/${platform.architecture}`;
  const out: Record<string, string> = {};
  const busyboxImage = async (): Promise<TestImage> => ({
    name: TEST_IMAGES.busybox, platform, config: { Env: [PATH_ENV], Cmd: ['sh'] },
    layers: [{ tar: await busyboxLayer(busyboxPath), compression: 'gzip' }],
  });
  out[TEST_IMAGES.busybox] = await cached(outDir, 'busybox', [arch, busybox], busyboxImage);
  const probePath = options.probe ?? DEFAULT_PROBE;
  if (existsSync(probePath)) {
    const probe = await readFile(probePath);
    out[TEST_IMAGES.probe] = await cached(outDir, 'probe', [arch, busybox, probe], async () => ({
      name: TEST_IMAGES.probe, platform, config: { Env: [PATH_ENV], Cmd: ['/usr/bin/probe'] },
      layers: [(await busyboxImage()).layers[0] as TestImage['layers'][number], { tar: await programLayer(probePath, 'probe'), compression: 'gzip' }],
    }));
  }
  // VOLUME /data: its merged content (whiteouts, a hard link) is what a new volume there is filled with.
  out[TEST_IMAGES.layers] = await cached(outDir, 'layers', [arch, 'volume:/data'], async () => ({
    name: TEST_IMAGES.layers, platform, config: { Env: [PATH_ENV], Volumes: { '/data': {} } }, layers: layersImageLayers(),
  }));
  return out;
}
