import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { detectCgroupManager } from '../cgroups/detect.js';
import { cgroupParentSetting } from '../cgroups/cgroup-path.js';
import { TscError } from '../errors/index.js';
import { LinuxKernel } from '../kernel/linux/linux-kernel.js';
import { Runtime } from '../runtime/runtime.js';
import { StatePaths, type StateRoots } from '../state/paths.js';
import { systemClock } from '../util/clock.js';
import { LocalVolumes } from '../volume/local-volumes.js';
import { ContainerFiles } from '../volume/container-files.js';
import { LinuxFsOps } from '../kernel/linux/linux-fs-ops.js';
import { join } from 'node:path';
import type { ProgressSink } from '../orchestrator/events.js';
import type { ImageProvider } from '../orchestrator/image-provider.js';
import type { OrchestratorDeps } from '../orchestrator/orchestrator-deps.js';
import { StoreImageProvider } from './store-image-provider.js';
import { requireRoot } from './engine-root.js';
import { oneOffPortsReleaser, supervisorControl } from './engine-supervisor.js';
import { dnsUpstreamSetting } from '../orchestrator/dns-config.js';
import { SocketPortProbe } from '../net/ports/socket-port-probe.js';
import { EventsLog } from '../orchestrator/events-log.js';
import { createNetworks, releaseNetworking } from './engine-networks.js';
import type { NetworkProvider } from '../orchestrator/network-provider.js';

/** The native helper, built by `npm install` into build/native/ (two levels above both src/api and dist/api). */
export const HELPER_PATH = fileURLToPath(new URL('../../build/native/tsc-helper', import.meta.url));

export interface Engine extends OrchestratorDeps {
  paths: StatePaths;
  images: ImageProvider & StoreImageProvider;
  volumes: LocalVolumes;
  files: ContainerFiles;
  networks: NetworkProvider;
  events: EventsLog;
}

/** The one place that wires the real implementations together. */
export function createEngine(roots: StateRoots, progress: ProgressSink, uid = process.getuid?.() ?? 0): Engine {
  requireRoot(uid);
  if (!existsSync(HELPER_PATH)) {
    throw new TscError('NATIVE_MISSING', `the native helper ${HELPER_PATH} is missing`, { hint: 'run `npm install` (or `npm run build`) in the tscompose directory' });
  }
  const paths = new StatePaths(roots);
  const kernel = new LinuxKernel({ helperPath: HELPER_PATH });
  const images = new StoreImageProvider(paths);
  const files = new ContainerFiles(join(paths.roots.dataRoot, 'container-files'));
  const networks = createNetworks(paths, { nat: process.env.TSCOMPOSE_NAT });
  const supervisor = supervisorControl(paths, { probe: new SocketPortProbe(), upstream: dnsUpstreamSetting(process.env.TSCOMPOSE_DNS_UPSTREAM) });
  const releasePorts = oneOffPortsReleaser(supervisor, (line) => { process.stderr.write(`${line}\n`); });
  const runtime = new Runtime({
    kernel,
    paths,
    clock: systemClock,
    // TSCOMPOSE_CGROUP_PARENT: the supervisor, spawned by the CLI, inherits it with the environment.
    cgroups: detectCgroupManager({ parent: cgroupParentSetting(process.env.TSCOMPOSE_CGROUP_PARENT) }),
    onRemove: async (info) => {
      await releasePorts(info);
      await images.releaseRootfs(info.name);
      await files.release(info.name);
      await releaseNetworking(networks, info.name);
    },
  });
  const volumes = new LocalVolumes(paths.volumes, () => new Date(systemClock.now()), new LinuxFsOps());
  return { paths, runtime, images, volumes, files, networks, progress, supervisor, events: new EventsLog(paths, systemClock) };
}
