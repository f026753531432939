import type { BridgeNetworks } from '../net/bridge-networks.js';
import type { SandboxStore } from '../net/sandbox-store.js';

/** Networks as the orchestrator needs them: bridges and endpoints, and each container's hosts/resolv.conf/hostname files. */
export interface NetworkProvider {
  readonly bridges: BridgeNetworks;
  readonly sandboxes: SandboxStore;
}
