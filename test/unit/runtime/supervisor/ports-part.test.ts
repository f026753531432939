import { once } from 'node:events';
import { connect, createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SocketPortProbe } from '../../../../src/net/ports/socket-port-probe.js';
import { PortsPart } from '../../../../src/runtime/supervisor/ports-part.js';
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

function part(): PortsPart {
  const p = new PortsPart({ log: () => undefined, proxyPath: fileURLToPath(new URL('../../../../build/native/tsc-proxy', import.meta.url)) });
  cleanups.push(() => p.close());
  return p;
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

  it('refuses a malformed section', async () => {
    await expect(part().reconcile({ bindings: [{ hostPort: 'x' }] })).rejects.toMatchObject({ code: 'SUPERVISOR' });
  });
});
