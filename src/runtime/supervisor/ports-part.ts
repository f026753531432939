import { TscError } from '../../errors/index.js';
import { hostKey } from '../../net/ports/published-port.js';
import { TcpProxy, type ProxyTarget } from '../../net/ports/tcp-proxy.js';
import { UdpProxy } from '../../net/ports/udp-proxy.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import { parsePortsSection, type PortBinding } from './ports-section.js';

export interface PortsPartDeps {
  readonly log: (line: string) => void;
  /** The `tsc-proxy` program each published TCP port runs. */
  readonly proxyPath: string;
  /** How long a UDP flow lives without traffic; default 60 s. */
  readonly udpIdleMs?: number;
}

type Proxy = TcpProxy | UdpProxy;

const REVIVE_PAUSE_MS = 100;

/**
 * The `ports` part: a userland proxy per published port (a `tsc-proxy` process for TCP, a socket of
 * this process for UDP). Ports no longer listed are let go first, so a port that moved from one
 * container to another is bound again; a port whose container got a new address keeps its socket
 * and sends new traffic to the new address. A TCP proxy whose process died is started again at once
 * (after a short pause, so a proxy that keeps dying does not spin). Ports
 * that cannot be bound are reported together after the others are served, and tried again at the
 * next reconcile.
 */
export class PortsPart implements SupervisorPart {
  readonly section = 'ports';
  private readonly proxies = new Map<string, Proxy>();
  /** Reconciles run one at a time; the last section is kept to serve again when a proxy dies. */
  private chain: Promise<void> = Promise.resolve();
  private last: unknown;
  private closed = false;

  constructor(private readonly deps: PortsPartDeps) {}

  reconcile(value: unknown): Promise<void> {
    this.last = value;
    const next = this.chain.catch(() => undefined).then(() => this.apply(value));
    this.chain = next;
    return next;
  }

  /** A proxy's process ended by itself: serve the last section again. */
  private readonly revive = (): void => {
    setTimeout(() => {
      if (this.closed) return;
      this.reconcile(this.last).catch((err: unknown) => this.deps.log(`ports: ${errorText(err)}`));
    }, REVIVE_PAUSE_MS);
  };

  private async apply(value: unknown): Promise<void> {
    const wanted = new Map<string, PortBinding & { containerIp: string }>();
    for (const binding of parsePortsSection(value).bindings) {
      if (binding.containerIp !== undefined) wanted.set(hostKey(binding), { ...binding, containerIp: binding.containerIp });
    }
    for (const [key, proxy] of this.proxies) {
      if (wanted.has(key)) continue;
      this.proxies.delete(key);
      await proxy.close();
    }
    const failures: TscError[] = [];
    for (const [key, binding] of wanted) {
      const target: ProxyTarget = { host: binding.containerIp, port: binding.containerPort };
      const running = this.proxies.get(key);
      if (running instanceof TcpProxy && !running.running) {
        // Its process died: serve the port again with a new one.
        this.proxies.delete(key);
        await running.close();
      } else if (running !== undefined) {
        running.target = target;
        continue;
      }
      const options = { hostIp: binding.hostIp, hostPort: binding.hostPort, target, log: this.deps.log };
      const proxy = binding.protocol === 'tcp' ? new TcpProxy({ ...options, proxyPath: this.deps.proxyPath, onExit: this.revive }) : new UdpProxy({ ...options, idleMs: this.deps.udpIdleMs });
      try {
        await proxy.start();
        this.proxies.set(key, proxy);
      } catch (err) {
        const error = err instanceof TscError ? err : new TscError('KERNEL', errorText(err), { cause: err });
        failures.push(error.wrap(`publish port ${binding.containerPort}/${binding.protocol} of \`${binding.container}\``));
      }
    }
    if (failures.length > 0) {
      failures.forEach((f) => this.deps.log(`ports: ${f.message}`));
      const first = failures[0] as TscError;
      throw new TscError(first.code, failures.map((f) => f.message).join('; '), { hint: first.hint, cause: first });
    }
  }

  /** The host keys (`tcp:127.0.0.1:8080`) served now. */
  served(): string[] {
    return [...this.proxies.keys()].sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.chain.catch(() => undefined);
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}
