import { TscError } from '../../errors/index.js';
import { hostKey } from '../../net/ports/published-port.js';
import { TcpProxy, type ProxyTarget } from '../../net/ports/tcp-proxy.js';
import { UdpProxy } from '../../net/ports/udp-proxy.js';
import type { ContainerLookup, ContainerView } from './container-view.js';
import { errorText } from './error-text.js';
import type { SupervisorPart } from './part.js';
import { parsePortsSection, type PortBinding } from './ports-section.js';

export interface PortsPartDeps {
  readonly log: (line: string) => void;
  /** The `tsc-proxy` program each published TCP port runs. */
  readonly proxyPath: string;
  /** How long a UDP flow lives without traffic; default 60 s. */
  readonly udpIdleMs?: number;
  /**
   * The containers on the machine as they are now (one look for all the bindings). Without it every
   * binding is served whatever its container does (the proxies alone, in tests).
   */
  readonly containers?: () => Promise<readonly ContainerState[]>;
  /**
   * Watches one container for changes of its state (inotify on its directory, where the monitor renames
   * the exit file into place); returns the function that stops watching. With {@link lookup}, the part
   * follows the containers it serves by itself, one-offs too, which no other part watches.
   */
  readonly watch?: (id: string, changed: () => void) => () => void;
  /** The container as it is now (undefined: gone), looked at when {@link watch} reports a change. */
  readonly lookup?: ContainerLookup;
}

/** One watched container: at most one look at a time, and one more when a change came during it. */
interface Watched {
  readonly stop: () => void;
  looking?: Promise<void>;
  again: boolean;
}

/** What the part needs to know of a container. */
export interface ContainerState {
  readonly id: string;
  readonly name: string;
  readonly status: ContainerView['status'];
}

type Proxy = TcpProxy | UdpProxy;

const REVIVE_PAUSE_MS = 100;

/** The states whose ports are served: a created container is about to start (`up`, `run` publish first). */
const SERVED: ReadonlySet<ContainerView['status']> = new Set(['created', 'running', 'paused']);

const isServed = (view: { readonly status: ContainerView['status'] } | undefined): boolean => view !== undefined && SERVED.has(view.status);

/**
 * The `ports` part: a userland proxy per published port (a `tsc-proxy` process for TCP, a socket of
 * this process for UDP), while its container has not stopped: a container that stops or exits lets
 * go of its host ports, and gets them again when it runs again. The part looks at the containers at
 * each reconcile, watches those of its bindings (when given `watch`), and hears of changes from what
 * the other parts observe too ({@link containerSeen}).
 * Ports no longer served are let go first, so a port that moved from one container to another is
 * bound again; a port whose container got a new address keeps its socket and sends new traffic to
 * the new address. A TCP proxy whose process died is started again at once (after a short pause, so
 * a proxy that keeps dying does not spin). Ports that cannot be bound are reported together after
 * the others are served, and tried again at the next reconcile.
 */
export class PortsPart implements SupervisorPart {
  readonly section = 'ports';
  private readonly proxies = new Map<string, Proxy>();
  /** Reconciles run one at a time; the last section is kept to serve again when a proxy dies. */
  private chain: Promise<void> = Promise.resolve();
  private last: unknown;
  private closed = false;
  /** Whether each container of the bindings (by name) had its ports served at the last look. */
  private serving = new Map<string, boolean>();
  /** The name of each container of the bindings, by id. */
  private names = new Map<string, string>();
  /** The containers of the bindings watched for a change of state, by id. */
  private readonly watched = new Map<string, Watched>();

  constructor(private readonly deps: PortsPartDeps) {}

  reconcile(value: unknown): Promise<void> {
    this.last = value;
    const next = this.chain.catch(() => undefined).then(() => this.apply(value));
    this.chain = next;
    return next;
  }

  /**
   * What another part saw of a container (undefined: it is gone). When that changes whether its ports
   * are served (it stopped, exited, or runs again), the last section is served again; resolves once
   * it is (a failure is logged).
   */
  containerSeen(id: string, view: ContainerView | undefined): Promise<void> {
    const name = this.names.get(id);
    if (this.closed || name === undefined || this.serving.get(name) === isServed(view)) return Promise.resolve();
    this.serving.set(name, isServed(view));
    return this.reconcile(this.last).catch((err: unknown) => this.deps.log(`ports: ${errorText(err)}`));
  }

  /** A proxy's process ended by itself: serve the last section again. */
  private readonly revive = (): void => {
    setTimeout(() => {
      if (this.closed) return;
      this.reconcile(this.last).catch((err: unknown) => this.deps.log(`ports: ${errorText(err)}`));
    }, REVIVE_PAUSE_MS);
  };

  private async apply(value: unknown): Promise<void> {
    const bindings = parsePortsSection(value).bindings.flatMap((b) => (b.containerIp === undefined ? [] : [{ ...b, containerIp: b.containerIp }]));
    const served = await this.servedContainers(bindings);
    const wanted = new Map<string, PortBinding & { containerIp: string }>();
    for (const binding of bindings) if (served.has(binding.container)) wanted.set(hostKey(binding), binding);
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

  /** The containers of the bindings whose ports are served now; when the containers cannot be looked at, each keeps what it had. */
  private async servedContainers(bindings: readonly PortBinding[]): Promise<Set<string>> {
    const wanted = new Set(bindings.map((b) => b.container));
    const containers = this.deps.containers;
    if (containers === undefined) return wanted;
    let all: readonly ContainerState[] | undefined;
    if (wanted.size > 0) {
      all = await containers().catch((err: unknown) => {
        this.deps.log(`ports: look at the containers: ${errorText(err)}`);
        return undefined;
      });
    }
    if (all !== undefined || wanted.size === 0) {
      const byName = new Map((all ?? []).filter((c) => wanted.has(c.name)).map((c) => [c.name, c]));
      this.serving = new Map([...wanted].map((name) => [name, isServed(byName.get(name))]));
      this.names = new Map([...byName.values()].map((c) => [c.id, c.name]));
    }
    this.watchContainers();
    return new Set([...wanted].filter((name) => this.serving.get(name) ?? true));
  }

  /**
   * Watches each container of the bindings (and no other), so one that stops, runs again or goes is
   * heard of between reloads. A container newly watched is looked at once: it may have changed
   * between the list and the start of the watch.
   */
  private watchContainers(): void {
    const watch = this.deps.watch;
    if (watch === undefined || this.deps.lookup === undefined || this.closed) return;
    for (const [id, entry] of this.watched) {
      if (this.names.has(id)) continue;
      entry.stop();
      this.watched.delete(id);
    }
    for (const id of this.names.keys()) {
      if (this.watched.has(id)) continue;
      this.watched.set(id, { stop: watch(id, () => this.look(id)), again: false });
      this.look(id);
    }
  }

  /** Looks at a watched container and tells {@link containerSeen}; changes during a look make one more. */
  private look(id: string): void {
    const entry = this.watched.get(id);
    const lookup = this.deps.lookup;
    if (entry === undefined || lookup === undefined) return;
    if (entry.looking !== undefined) {
      entry.again = true;
      return;
    }
    entry.looking = (async () => {
      do {
        entry.again = false;
        try {
          const view = await lookup(id);
          if (this.watched.get(id) !== entry) return;
          await this.containerSeen(id, view);
        } catch (err) {
          this.deps.log(`ports: look at ${id.slice(0, 12)}: ${errorText(err)}`);
        }
      } while (entry.again && this.watched.get(id) === entry);
    })().finally(() => (entry.looking = undefined));
  }

  /** Resolves once the looks under way (and the reconciles they started) are done. */
  async settled(): Promise<void> {
    while ([...this.watched.values()].some((w) => w.looking !== undefined)) {
      await Promise.all([...this.watched.values()].map((w) => w.looking));
      await this.chain.catch(() => undefined);
    }
    await this.chain.catch(() => undefined);
  }

  /** The host keys (`tcp:127.0.0.1:8080`) served now. */
  served(): string[] {
    return [...this.proxies.keys()].sort();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.watched.values()) entry.stop();
    const looks = [...this.watched.values()].map((w) => w.looking);
    this.watched.clear();
    await Promise.all(looks);
    await this.chain.catch(() => undefined);
    const all = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}
