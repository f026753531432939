import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketPortProbe } from '../../../../src/net/ports/socket-port-probe.js';
import type { ContainerView } from '../../../../src/runtime/supervisor/container-view.js';
import { PortsPart, type ContainerState } from '../../../../src/runtime/supervisor/ports-part.js';
import type { PortBinding } from '../../../../src/runtime/supervisor/ports-section.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(host: string, answer: string): Promise<number> {
  const s: Server = createServer((socket) => socket.end(answer));
  s.listen({ host, port: 0 });
  await once(s, 'listening');
  cleanups.push(() => new Promise((resolve) => s.close(resolve)));
  return (s.address() as { port: number }).port;
}

async function read(port: number): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks).toString();
}

function part(containers?: () => Promise<readonly ContainerState[]>): PortsPart {
  const p = new PortsPart({ log: () => undefined, proxyPath: fileURLToPath(new URL('../../../../build/native/tsc-proxy', import.meta.url)), ...(containers === undefined ? {} : { containers }) });
  cleanups.push(() => p.close());
  return p;
}

/** The containers on the machine, as a test sets them; `looks` counts how often the part asked. */
class FakeContainers {
  readonly states = new Map<string, ContainerState>();
  looks = 0;
  failing = false;

  set(name: string, status: ContainerState['status']): ContainerView {
    const id = `id-${name}`;
    this.states.set(name, { id, name, status });
    return { id, status, restartCount: 0 };
  }

  readonly list = (): Promise<readonly ContainerState[]> => {
    this.looks++;
    return this.failing ? Promise.reject(new Error('no state')) : Promise.resolve([...this.states.values()]);
  };
}

const binding = (hostPort: number, containerIp: string, containerPort: number, extra: Partial<PortBinding> = {}): PortBinding => ({
  container: 'p-web-1', service: 'web', hostIp: '127.0.0.1', hostPort, containerPort, protocol: 'tcp', containerIp, ...extra,
});

describe('PortsPart', () => {
  it('serves each binding, follows a new container address, and lets go of ports no longer listed', async () => {
    const probe = new SocketPortProbe();
    const first = await server('127.0.0.31', 'first\n');
    const second = await server('127.0.0.32', 'second\n');
    const hostPort = await probe.ephemeral('127.0.0.1', 'tcp');
    const ports = part();
    await ports.reconcile({ bindings: [binding(hostPort, '127.0.0.31', first), binding(hostPort, '127.0.0.1', 9, { protocol: 'udp' })] });
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${hostPort}`, `udp:127.0.0.1:${hostPort}`]);
    expect(await read(hostPort)).toBe('first\n');
    await ports.reconcile({ bindings: [binding(hostPort, '127.0.0.32', second)] });
    expect(await read(hostPort)).toBe('second\n');
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${hostPort}`]);
    expect(await probe.isFree('127.0.0.1', hostPort, 'udp')).toBe(true);
    await ports.reconcile(undefined);
    expect(await probe.isFree('127.0.0.1', hostPort, 'tcp')).toBe(true);
  });

  it('skips bindings without a container address and reports ports it cannot bind after serving the rest', async () => {
    const probe = new SocketPortProbe();
    const target = await server('127.0.0.33', 'ok\n');
    const taken = await server('127.0.0.1', 'someone else\n');
    const free = await probe.ephemeral('127.0.0.1', 'tcp');
    const ports = part();
    const { containerIp: _ip, ...noAddress } = binding(await probe.ephemeral('127.0.0.1', 'tcp'), '', 1);
    const error = await ports.reconcile({ bindings: [binding(taken, '127.0.0.33', target), binding(free, '127.0.0.33', target), noAddress] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining(`publish port ${target}/tcp of \`p-web-1\`: publish 127.0.0.1:${taken}/tcp: bind: EADDRINUSE`) });
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${free}`]);
    expect(await read(free)).toBe('ok\n');
  });

  it('serves the ports of created, running and paused containers only, and follows each stop and new run', async () => {
    const probe = new SocketPortProbe();
    const target = await server('127.0.0.34', 'up\n');
    const [web, db, fresh, frozen, gone] = [await probe.ephemeral('127.0.0.1', 'tcp'), await probe.ephemeral('127.0.0.1', 'tcp'), await probe.ephemeral('127.0.0.1', 'tcp'), await probe.ephemeral('127.0.0.1', 'tcp'), await probe.ephemeral('127.0.0.1', 'tcp')];
    const world = new FakeContainers();
    world.set('p-web-1', 'running');
    world.set('p-db-1', 'exited');
    world.set('p-new-1', 'created');
    world.set('p-frozen-1', 'paused');
    const ports = part(world.list);
    const section = { bindings: [
      binding(web, '127.0.0.34', target), binding(db, '127.0.0.34', target, { container: 'p-db-1', service: 'db' }),
      binding(fresh, '127.0.0.34', target, { container: 'p-new-1', service: 'new' }), binding(frozen, '127.0.0.34', target, { container: 'p-frozen-1', service: 'frozen' }),
      binding(gone, '127.0.0.34', target, { container: 'p-gone-1', service: 'gone' }),
    ] };
    await ports.reconcile(section);
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${web}`, `tcp:127.0.0.1:${fresh}`, `tcp:127.0.0.1:${frozen}`].sort());
    expect(await probe.isFree('127.0.0.1', db, 'tcp')).toBe(true);
    expect(await probe.isFree('127.0.0.1', gone, 'tcp')).toBe(true);
    expect(await read(web)).toBe('up\n');

    // Seen by another part: web exits, and its port is free for anyone.
    await ports.containerSeen('id-p-web-1', world.set('p-web-1', 'exited'));
    expect(ports.served()).not.toContain(`tcp:127.0.0.1:${web}`);
    expect(await probe.isFree('127.0.0.1', web, 'tcp')).toBe(true);
    // It runs again (a restart policy, or `start`): served again, and db's start is found too.
    world.set('p-db-1', 'running');
    await ports.containerSeen('id-p-web-1', world.set('p-web-1', 'running'));
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${web}`, `tcp:127.0.0.1:${db}`, `tcp:127.0.0.1:${fresh}`, `tcp:127.0.0.1:${frozen}`].sort());
    expect(await read(web)).toBe('up\n');
    expect(await read(db)).toBe('up\n');

    // Nothing changed, or a container the part does not serve: no new look.
    const looks = world.looks;
    await ports.containerSeen('id-p-web-1', { id: 'id-p-web-1', status: 'running', restartCount: 1 });
    await ports.containerSeen('id-elsewhere', { id: 'id-elsewhere', status: 'exited', restartCount: 0 });
    expect(world.looks).toBe(looks);

    // A container removed (undefined) lets go of its ports.
    world.states.delete('p-new-1');
    await ports.containerSeen('id-p-new-1', undefined);
    expect(ports.served()).not.toContain(`tcp:127.0.0.1:${fresh}`);
    expect(await probe.isFree('127.0.0.1', fresh, 'tcp')).toBe(true);
  });

  it('keeps what it serves when the containers cannot be looked at', async () => {
    const probe = new SocketPortProbe();
    const target = await server('127.0.0.35', 'kept\n');
    const hostPort = await probe.ephemeral('127.0.0.1', 'tcp');
    const world = new FakeContainers();
    world.set('p-web-1', 'running');
    const ports = part(world.list);
    const section = { bindings: [binding(hostPort, '127.0.0.35', target)] };
    await ports.reconcile(section);
    world.failing = true;
    await ports.reconcile(section);
    expect(ports.served()).toEqual([`tcp:127.0.0.1:${hostPort}`]);
    expect(await read(hostPort)).toBe('kept\n');
    world.failing = false;
    world.set('p-web-1', 'exited');
    await ports.reconcile(section);
    expect(ports.served()).toEqual([]);
  });

  it('refuses a malformed section', async () => {
    await expect(part().reconcile({ bindings: [{ hostPort: 'x' }] })).rejects.toMatchObject({ code: 'SUPERVISOR' });
  });
});
