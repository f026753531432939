import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketPortProbe } from '../../../../src/net/ports/socket-port-probe.js';
import type { ContainerView } from '../../../../src/runtime/supervisor/container-view.js';
import { PortsPart, type ContainerState } from '../../../../src/runtime/supervisor/ports-part.js';
import type { PortBinding } from '../../../../src/runtime/supervisor/ports-section.js';

// The ports part follows the containers of its bindings by itself (a one-off is watched by no other
// part): a change its watch reports makes it look at the container, and an exit lets go of the port.

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Containers as a test sets them, with the watches the part holds on them and the looks it makes. */
class WatchedContainers {
  readonly states = new Map<string, ContainerState>();
  readonly watching = new Map<string, () => void>();
  readonly looked: string[] = [];
  stopped = 0;
  /** Runs once right after the next list is taken (a change between the list and the watch). */
  afterList: (() => void) | undefined;

  set(name: string, status: ContainerState['status']): void {
    this.states.set(name, { id: `id-${name}`, name, status });
  }

  readonly list = (): Promise<readonly ContainerState[]> => {
    const now = [...this.states.values()];
    const after = this.afterList;
    this.afterList = undefined;
    after?.();
    return Promise.resolve(now);
  };

  readonly lookup = (id: string): Promise<ContainerView | undefined> => {
    this.looked.push(id);
    const state = [...this.states.values()].find((c) => c.id === id);
    return Promise.resolve(state === undefined ? undefined : { id, status: state.status, restartCount: 0 });
  };

  readonly watch = (id: string, changed: () => void): (() => void) => {
    this.watching.set(id, changed);
    return () => {
      this.stopped++;
      this.watching.delete(id);
    };
  };

  /** What inotify would report: the container's directory changed. */
  changed(name: string): void {
    const changed = this.watching.get(`id-${name}`);
    if (changed === undefined) throw new Error(`${name} is not watched`);
    changed();
  }
}

function part(world: WatchedContainers): PortsPart {
  const p = new PortsPart({
    log: () => undefined, proxyPath: fileURLToPath(new URL('../../../../build/native/tsc-proxy', import.meta.url)),
    containers: world.list, watch: world.watch, lookup: world.lookup,
  });
  cleanups.push(() => p.close());
  return p;
}

const binding = (container: string, hostPort: number): PortBinding => ({
  container, service: 'web', hostIp: '127.0.0.1', hostPort, containerPort: 9, protocol: 'udp', containerIp: '127.0.0.1',
});

describe('PortsPart watching its containers', () => {
  it('lets go of the port of a container whose exit its watch reports, and serves it again when it runs again', async () => {
    const probe = new SocketPortProbe();
    const port = await probe.ephemeral('127.0.0.1', 'udp');
    const world = new WatchedContainers();
    world.set('p-web-run-1', 'running');
    const ports = part(world);
    await ports.reconcile({ bindings: [binding('p-web-run-1', port)] });
    await ports.settled();
    expect([...world.watching.keys()]).toEqual(['id-p-web-run-1']);
    expect(ports.served()).toEqual([`udp:127.0.0.1:${port}`]);
    expect(await probe.isFree('127.0.0.1', port, 'udp')).toBe(false);

    world.set('p-web-run-1', 'exited');
    world.changed('p-web-run-1');
    await ports.settled();
    expect(ports.served()).toEqual([]);
    expect(await probe.isFree('127.0.0.1', port, 'udp')).toBe(true);

    world.set('p-web-run-1', 'running');
    world.changed('p-web-run-1');
    await ports.settled();
    expect(ports.served()).toEqual([`udp:127.0.0.1:${port}`]);
  });

  it('looks at a container once when it starts watching it, so an exit before the watch is not missed', async () => {
    const probe = new SocketPortProbe();
    const port = await probe.ephemeral('127.0.0.1', 'udp');
    const world = new WatchedContainers();
    world.set('p-web-run-2', 'running');
    // The list says running; by the time the part looks on its own the container has exited.
    world.afterList = () => world.set('p-web-run-2', 'exited');
    const ports = part(world);
    await ports.reconcile({ bindings: [binding('p-web-run-2', port)] });
    await ports.settled();
    expect(world.looked).toEqual(['id-p-web-run-2']);
    expect(ports.served()).toEqual([]);
    expect(await probe.isFree('127.0.0.1', port, 'udp')).toBe(true);
  });

  it('stops watching a container whose bindings left the section, or that is gone, and every one on close', async () => {
    const probe = new SocketPortProbe();
    const [a, b] = [await probe.ephemeral('127.0.0.1', 'udp'), await probe.ephemeral('127.0.0.1', 'udp')];
    const world = new WatchedContainers();
    world.set('p-a-1', 'running');
    world.set('p-b-1', 'running');
    const ports = part(world);
    await ports.reconcile({ bindings: [binding('p-a-1', a), binding('p-b-1', b)] });
    await ports.settled();
    expect([...world.watching.keys()].sort()).toEqual(['id-p-a-1', 'id-p-b-1']);

    await ports.reconcile({ bindings: [binding('p-b-1', b)] });
    expect([...world.watching.keys()]).toEqual(['id-p-b-1']);

    // Removed: its directory goes (a change), the look finds nothing, the port is let go, the watch ends.
    world.states.delete('p-b-1');
    world.changed('p-b-1');
    await ports.settled();
    expect(ports.served()).toEqual([]);
    expect(world.watching.size).toBe(0);
    expect(await probe.isFree('127.0.0.1', b, 'udp')).toBe(true);

    world.set('p-b-1', 'running');
    await ports.reconcile({ bindings: [binding('p-b-1', b)] });
    await ports.close();
    expect(world.watching.size).toBe(0);
    expect(world.stopped).toBe(3);
  });
});
