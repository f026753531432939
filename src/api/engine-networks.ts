import { LinuxNet } from '../kernel/linux/linux-net.js';
import { BridgeNetworks } from '../net/bridge-networks.js';
import { SandboxStore } from '../net/sandbox-store.js';
import type { NetworkProvider } from '../orchestrator/network-provider.js';
import type { StatePaths } from '../state/paths.js';
import { systemClock } from '../util/clock.js';

/** The real bridge networks of a pair of roots: iproute2, records under the data root, namespaces under the runtime root. */
export function createNetworks(paths: StatePaths): NetworkProvider {
  const bridges = new BridgeNetworks({
    kernel: new LinuxNet(),
    dataRoot: paths.roots.dataRoot,
    recordsDir: paths.networks,
    netnsDir: paths.netns,
    lockDir: paths.locks,
    clock: systemClock,
  });
  return { bridges, sandboxes: new SandboxStore(paths.sandboxes) };
}

/** What removing a container releases of its networking: addresses, veths, namespace file and network files. */
export async function releaseNetworking(networks: NetworkProvider, container: string): Promise<void> {
  await networks.bridges.detach(container);
  await networks.sandboxes.remove(container);
}
