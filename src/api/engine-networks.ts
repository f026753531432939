import { LinuxIptables, findIptables } from '../kernel/linux/linux-nat.js';
import { LinuxNet } from '../kernel/linux/linux-net.js';
import { TscError } from '../errors/index.js';
import { BridgeNetworks } from '../net/bridge-networks.js';
import { NatManager } from '../net/nat-manager.js';
import { SandboxStore } from '../net/sandbox-store.js';
import type { NetworkProvider } from '../orchestrator/network-provider.js';
import type { StatePaths } from '../state/paths.js';
import { systemClock } from '../util/clock.js';

export interface NetworkOptions {
  /** `TSCOMPOSE_NAT`: unset, `on` or `auto` gives outbound NAT when iptables is found; `off` gives none. */
  readonly nat?: string | undefined;
  /** Where the one-line warning about `net.ipv4.ip_forward` goes; default stderr. */
  readonly warn?: (line: string) => void;
  /** The iptables to use; default the one found on the host. */
  readonly iptables?: string | undefined;
}

/** Whether outbound NAT is wanted, from `TSCOMPOSE_NAT`; USAGE for a value it does not know. */
export function natWanted(value: string | undefined): boolean {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === 'on' || text === 'auto') return true;
  if (text === 'off') return false;
  throw new TscError('USAGE', `TSCOMPOSE_NAT=${value ?? ''} is not a NAT setting`, {
    hint: 'set TSCOMPOSE_NAT to `off` to run networks without outbound NAT, or leave it unset',
  });
}

/** The real bridge networks of a pair of roots: iproute2, records under the data root, namespaces under the runtime root. */
export function createNetworks(paths: StatePaths, options: NetworkOptions = {}): NetworkProvider {
  const kernel = new LinuxNet();
  const iptables = natWanted(options.nat) ? options.iptables ?? findIptables() : undefined;
  const nat = iptables === undefined ? undefined : new NatManager({
    firewall: new LinuxIptables({ iptables }),
    kernel,
    warn: options.warn ?? ((line) => { process.stderr.write(`${line}\n`); }),
  });
  const bridges = new BridgeNetworks({
    kernel,
    dataRoot: paths.roots.dataRoot,
    recordsDir: paths.networks,
    netnsDir: paths.netns,
    lockDir: paths.locks,
    clock: systemClock,
    ...(nat === undefined ? {} : { nat }),
  });
  return { bridges, sandboxes: new SandboxStore(paths.sandboxes) };
}

/** What removing a container releases of its networking: addresses, veths, namespace file and network files. */
export async function releaseNetworking(networks: NetworkProvider, container: string): Promise<void> {
  await networks.bridges.detach(container);
  await networks.sandboxes.remove(container);
}
