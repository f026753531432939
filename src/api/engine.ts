import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectCgroupManager } from '../cgroups/detect.js';
import { TscError } from '../errors/index.js';
import { LinuxKernel } from '../kernel/linux/linux-kernel.js';
import { Runtime } from '../runtime/runtime.js';
import { StatePaths, type StateRoots } from '../state/paths.js';
import { systemClock } from '../util/clock.js';
import { LocalVolumes } from '../volume/local-volumes.js';
import type { ProgressSink } from '../orchestrator/events.js';
import type { ImageProvider } from '../orchestrator/image-provider.js';
import type { OrchestratorDeps } from '../orchestrator/orchestrator-deps.js';
import { StoreImageProvider } from './store-image-provider.js';

/** The native helper, built by `npm install` into build/native/ (two levels above both src/api and dist/api). */
export const HELPER_PATH = fileURLToPath(new URL('../../build/native/tsc-helper', import.meta.url));

export interface Engine extends OrchestratorDeps {
  paths: StatePaths;
  images: ImageProvider & StoreImageProvider;
  volumes: LocalVolumes;
}

/** The one place that wires the real implementations together. */
export function createEngine(roots: StateRoots, progress: ProgressSink, uid = process.getuid?.() ?? 0): Engine {
  if (uid !== 0) {
    throw new TscError('NEEDS_ROOT', 'this command runs containers and needs root', {
      hint: 'run it with sudo; running rootless is not supported yet (`tscompose config` works without root)',
    });
  }
  if (!existsSync(HELPER_PATH)) {
    throw new TscError('NATIVE_MISSING', `the native helper ${HELPER_PATH} is missing`, { hint: 'run `npm install` (or `npm run build`) in the tscompose directory' });
  }
  const paths = new StatePaths(roots);
  const kernel = new LinuxKernel({ helperPath: HELPER_PATH });
  const images = new StoreImageProvider(paths);
  const runtime = new Runtime({
    kernel,
    paths,
    clock: systemClock,
    cgroups: detectCgroupManager(),
    onRemove: (info) => images.releaseRootfs(info.name),
  });
  const volumes = new LocalVolumes(paths.volumes, () => new Date(systemClock.now()));
  return { paths, runtime, images, volumes, progress };
}
