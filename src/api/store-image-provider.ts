import { mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { ImageStore } from '../image/image-store.js';
import { LayerStore } from '../image/layer-store.js';
import { LinuxFsOps } from '../kernel/linux/linux-fs-ops.js';
import type { RootfsPlan } from '../kernel/launch-plan.js';
import type { ImageProvider } from '../orchestrator/image-provider.js';
import type { ImageView } from '../orchestrator/image-view.js';
import { OverlaySnapshotter } from '../snapshot/overlay-snapshotter.js';
import type { Mount } from '../snapshot/snapshotter.js';
import type { StatePaths } from '../state/paths.js';
import { TscError } from '../errors/index.js';

/**
 * Images from the local store, root filesystems from overlay snapshots over layers unpacked once:
 * a container's rootfs is its own upper dir over the image's shared layer directories.
 */
export class StoreImageProvider implements ImageProvider {
  readonly store: ImageStore;
  readonly layers: LayerStore;
  readonly snapshots: OverlaySnapshotter;

  constructor(private readonly paths: StatePaths) {
    this.store = new ImageStore(paths.images);
    this.layers = new LayerStore(paths.layers, { fsOps: new LinuxFsOps() });
    this.snapshots = new OverlaySnapshotter(paths.snapshots);
  }

  async image(reference: string): Promise<ImageView> {
    const details = await this.store.inspect(reference);
    const c = details.config;
    return {
      reference,
      digest: details.digest,
      env: c.env,
      entrypoint: c.entrypoint ?? null,
      cmd: c.cmd ?? null,
      workingDir: c.workingDir ?? '',
      user: c.user ?? '',
      ...(c.stopSignal === undefined ? {} : { stopSignal: c.stopSignal }),
      labels: c.labels,
      volumes: c.volumes,
      ...(c.healthcheck === undefined ? {} : { healthcheck: c.healthcheck }),
    };
  }

  async prepareRootfs(key: string, reference: string): Promise<Omit<RootfsPlan, 'readonly'>> {
    const layerDirs = await this.layers.ensureAll(await this.store.layerSources(reference));
    const mounts = await this.snapshots.prepare(key, layerDirs);
    const mountpoint = this.mountpoint(key);
    await mkdir(mountpoint, { recursive: true });
    return { path: mountpoint, overlay: overlayOf(mounts, key) };
  }

  async releaseRootfs(key: string): Promise<void> {
    await this.snapshots.remove(key);
    await rm(this.mountpoint(key), { recursive: true, force: true });
  }

  private mountpoint(key: string): string {
    return join(this.paths.snapshots, 'mnt', key);
  }
}

/** The snapshot's overlay mount as the launch plan's rootfs: absolute lower (top first), upper and work dirs. */
export function overlayOf(mounts: Mount[], key: string): NonNullable<RootfsPlan['overlay']> {
  const overlay = mounts.find((m) => m.type === 'overlay');
  if (overlay === undefined) throw new TscError('INTERNAL', `snapshot ${key} has no overlay mount`);
  const option = (name: string): string | undefined => overlay.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);
  const absolute = (p: string): string => (isAbsolute(p) || overlay.cwd === undefined ? p : join(overlay.cwd, p));
  const lower = option('lowerdir');
  const upper = option('upperdir');
  const work = option('workdir');
  if (lower === undefined || upper === undefined || work === undefined) throw new TscError('INTERNAL', `snapshot ${key}: incomplete overlay options ${overlay.options.join(',')}`);
  return { lowerdirs: lower.split(':').map(absolute), upperdir: absolute(upper), workdir: absolute(work) };
}
