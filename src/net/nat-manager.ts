import type { NetKernel } from '../kernel/net.js';
import { parseTable, planAddition, planRemoval, taggedBridge, type FirewallStep, type FirewallTable, type FirewallView, type NatNetwork } from './nat-rules.js';

export type { NatNetwork } from './nat-rules.js';

/** The host's packet filter as the NAT manager needs it; the Linux side runs `iptables -w`. */
export interface Firewall {
  /** What `iptables -t <table> -S` prints. */
  list(table: FirewallTable): Promise<string>;
  /** Whether the chain holds a rule equal to this one (`iptables -C`). */
  has(table: FirewallTable, chain: string, spec: readonly string[]): Promise<boolean>;
  /** Runs one change: `-N`, `-I`, `-A`, `-D`, `-F` or `-X` with its arguments; throws a TscError on failure. */
  change(table: FirewallTable, args: readonly string[]): Promise<void>;
  /** Whether the host forwards IPv4 (`net.ipv4.ip_forward`). */
  forwarding(): Promise<boolean>;
}

export interface NatManagerDeps {
  readonly firewall: Firewall;
  /** The host's links, to tell which tagged rules belong to a bridge that is gone. */
  readonly kernel: Pick<NetKernel, 'links'>;
  /** Gets one line when outbound traffic cannot flow because the host does not forward IPv4. */
  readonly warn?: (line: string) => void;
}

/**
 * Outbound NAT and isolation for bridge networks, in tscompose's own iptables chains (see
 * nat-rules.ts). The caller serialises calls across the machine (BridgeNetworks holds the machine
 * network lock), since every data root shares these chains.
 */
export class NatManager {
  private warned = false;

  constructor(private readonly deps: NatManagerDeps) {}

  /** Makes the rules of a network (idempotent), sweeping those of bridges that are gone. */
  async add(network: NatNetwork, options: { created?: boolean } = {}): Promise<void> {
    const [view, live] = await Promise.all([this.view(), this.liveLinks()]);
    await this.run(planAddition(view, network, live));
    if (options.created === true && !network.internal && !this.warned && !(await this.deps.firewall.forwarding())) {
      this.warned = true;
      this.deps.warn?.(`warning: network ${network.name}: containers have no outbound traffic while the host does not forward IPv4; enable it with \`sysctl net.ipv4.ip_forward=1\``);
    }
  }

  /** Deletes the rules of a bridge (and of bridges that are gone); the chains go with the last network. */
  async remove(bridge: string): Promise<void> {
    const [view, live] = await Promise.all([this.view(), this.liveLinks()]);
    await this.run(planRemoval(view, bridge, live));
  }

  /** Deletes the rules of bridges that no longer exist; returns the bridges whose rules it removed. */
  async sweep(): Promise<string[]> {
    const [view, live] = await Promise.all([this.view(), this.liveLinks()]);
    const steps = planRemoval(view, undefined, live);
    await this.run(steps);
    const bridges = new Set(steps.flatMap((s) => (s.op === 'delete-rule' ? [taggedBridge(s.spec)] : [])).filter((b): b is string => b !== undefined));
    return [...bridges];
  }

  private async view(): Promise<FirewallView> {
    const [nat, filter] = await Promise.all([this.deps.firewall.list('nat'), this.deps.firewall.list('filter')]);
    return { nat: parseTable(nat), filter: parseTable(filter) };
  }

  private async liveLinks(): Promise<Set<string>> {
    return new Set((await this.deps.kernel.links()).map((l) => l.name));
  }

  private async run(steps: readonly FirewallStep[]): Promise<void> {
    const fw = this.deps.firewall;
    for (const step of steps) {
      if (step.op === 'create-chain') {
        await fw.change(step.table, ['-N', step.chain]);
      } else if (step.op === 'ensure-rule') {
        const { table, chain, spec, position } = step.rule;
        if (await fw.has(table, chain, spec)) continue;
        await fw.change(table, position === 'first' ? ['-I', chain, '1', ...spec] : ['-A', chain, ...spec]);
      } else if (step.op === 'delete-rule') {
        if (await fw.has(step.table, step.chain, step.spec)) await fw.change(step.table, ['-D', step.chain, ...step.spec]);
      } else {
        await fw.change(step.table, ['-F', step.chain]);
        await fw.change(step.table, ['-X', step.chain]);
      }
    }
  }
}
