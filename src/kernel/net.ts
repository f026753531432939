/**
 * The kernel boundary for networking: the host's routes and addresses, Linux bridges, veth pairs
 * and network namespaces kept alive by a bind mount. src/net/ decides names and addresses and
 * calls this; the Linux implementation (src/kernel/linux/linux-net.ts) drives iproute2.
 */

/** One route of the host's main table; `dst` is a CIDR, or `default`. */
export interface HostRoute {
  readonly dst: string;
  readonly dev?: string;
}

/** One IPv4 address on one of the host's interfaces, as a CIDR (`192.0.2.2/24`). */
export interface HostAddress {
  readonly ifname: string;
  readonly cidr: string;
}

/** A link in the host's namespace; `alias` is the free text tscompose leaves on what it makes. */
export interface HostLink {
  readonly name: string;
  /** `bridge`, `veth`, ... when the kernel says. */
  readonly kind?: string;
  readonly alias?: string;
}

export interface BridgeRequest {
  /** At most 15 characters. */
  readonly name: string;
  /** The gateway address with the subnet's prefix, e.g. `172.28.0.1/24`. */
  readonly address: string;
  readonly mtu?: number;
  /** Set as the link's alias, so what tscompose made can be found again after a crash. */
  readonly alias: string;
}

export interface EndpointRequest {
  /** Host side of the veth pair, at most 15 characters. */
  readonly hostName: string;
  readonly alias: string;
  /** The bridge the host side joins. */
  readonly bridge: string;
  /** The name inside the container: `eth0`, `eth1`, ... */
  readonly ifname: string;
  /** `02:42:...`; absent: the kernel's random one. */
  readonly mac?: string;
  /** The address with the subnet's prefix, e.g. `172.28.0.2/24`. */
  readonly address: string;
  readonly mtu?: number;
}

/** What the inside of a container's namespace gets beside its endpoints. */
export interface NetnsSettings {
  /** Default route via this address; absent: none (an internal network, or none at all). */
  readonly defaultGateway?: string;
}

export interface NetKernel {
  routes(): Promise<HostRoute[]>;
  addresses(): Promise<HostAddress[]>;
  links(): Promise<HostLink[]>;
  /** Creates the bridge with its address, and brings it up. */
  createBridge(request: BridgeRequest): Promise<void>;
  /** Deletes links (a veth takes its peer along); links that are gone already are fine. */
  deleteLinks(names: readonly string[]): Promise<void>;
  /** Creates a network namespace with `lo` up, kept alive by a bind mount on `path` (a new file). */
  createNetns(path: string): Promise<void>;
  /** Unmounts and deletes the namespace file; one that is gone already is fine. */
  deleteNetns(path: string): Promise<void>;
  /**
   * Creates one veth pair per endpoint (host side on its bridge and up, container side named, addressed
   * and up inside the namespace), then applies the settings inside. On failure the pairs made are deleted.
   */
  addEndpoints(netns: string, endpoints: readonly EndpointRequest[], settings: NetnsSettings): Promise<void>;
}
