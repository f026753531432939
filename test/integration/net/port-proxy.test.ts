// The userland proxies of published ports, against plain servers on loopback (no containers).
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { randomBytes, createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../src/net/ports/tcp-proxy.js';
import { UdpProxy } from '../../../src/net/ports/udp-proxy.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server that reads until the client half-closes, then answers with the sha256 and length of what it got. */
async function hashServer(host: string, tag: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash('sha256');
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => { hash.update(chunk); bytes += chunk.length; });
    socket.on('end', () => socket.end(`${tag} ${bytes} ${hash.digest('hex')}\n`));
  });
  server.listen({ host, port: 0 });
  await once(server, 'listening');
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return server;
}

const portOf = (server: Server): number => (server.address() as { port: number }).port;

async function exchange(port: number, payload: Buffer): Promise<string> {
  const socket: Socket = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.end(payload);
  await once(socket, 'end');
  socket.destroy();
  return Buffer.concat(chunks).toString();
}

async function tcpProxy(targetPort: number): Promise<TcpProxy> {
  const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: targetPort } });
  await proxy.start();
  cleanups.push(() => proxy.close());
  return proxy;
}

describe('TcpProxy', () => {
  it('carries 8 MiB intact to the target and the answer back after the client half-closes', async () => {
    const target = await hashServer('127.0.0.1', 'a');
    const proxy = await tcpProxy(portOf(target));
    const payload = randomBytes(8 << 20);
    const answer = await exchange(proxy.port, payload);
    expect(answer).toBe(`a ${payload.length} ${createHash('sha256').update(payload).digest('hex')}\n`);
  });

  it('serves many connections at once and sends new ones to a changed target', async () => {
    const a = await hashServer('127.0.0.1', 'a');
    const b = await hashServer('127.0.0.1', 'b');
    const proxy = await tcpProxy(portOf(a));
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => exchange(proxy.port, Buffer.from(`hello ${i}`))));
    expect(answers.every((line) => line.startsWith('a '))).toBe(true);
    proxy.target = { host: '127.0.0.1', port: portOf(b) };
    expect((await exchange(proxy.port, Buffer.from('x'))).startsWith('b 1 ')).toBe(true);
  });

  it('closes the client when the target refuses, and its port is free once closed', async () => {
    const gone = await hashServer('127.0.0.1', 'gone');
    const port = portOf(gone);
    await new Promise((resolve) => gone.close(resolve));
    const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port } });
    await proxy.start();
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'close');
    const published = proxy.port;
    await proxy.close();
    const again = new TcpProxy({ hostIp: '127.0.0.1', hostPort: published, target: { host: '127.0.0.1', port } });
    await again.start();
    await again.close();
  });

  it('fails to start with PORT_IN_USE naming the port when the port is taken', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const taken = new TcpProxy({ hostIp: '127.0.0.1', hostPort: portOf(target), target: { host: '127.0.0.1', port: 1 } });
    await expect(taken.start()).rejects.toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining(`127.0.0.1:${portOf(target)}/tcp`) });
  });
});

async function udpEcho(): Promise<UdpSocket> {
  const server = createSocket('udp4');
  server.on('message', (message, peer) => server.send(Buffer.concat([Buffer.from(`echo ${peer.port}: `), message]), peer.port, peer.address));
  server.bind(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

async function udpAsk(port: number, text: string, client = createSocket('udp4')): Promise<string> {
  const reply = once(client, 'message');
  client.send(text, port, '127.0.0.1');
  const [message] = (await reply) as [Buffer];
  return message.toString();
}

describe('UdpProxy', () => {
  it('keeps one flow per client, answers each client from its own flow, and forgets idle flows', async () => {
    const echo = await udpEcho();
    const proxy = new UdpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: echo.address().port }, idleMs: 200 });
    await proxy.start();
    cleanups.push(() => proxy.close());
    const one = createSocket('udp4');
    const two = createSocket('udp4');
    cleanups.push(async () => { one.close(); two.close(); });
    const first = await udpAsk(proxy.port, 'ping 1', one);
    const second = await udpAsk(proxy.port, 'ping 2', two);
    const again = await udpAsk(proxy.port, 'ping 3', one);
    expect(first).toMatch(/^echo \d+: ping 1$/);
    expect(second).toMatch(/^echo \d+: ping 2$/);
    // The same client goes out through the same flow (same source port at the target), another client through another.
    expect(again.split(':')[0]).toBe(first.split(':')[0]);
    expect(second.split(':')[0]).not.toBe(first.split(':')[0]);
    expect(proxy.flowCount).toBe(2);
    while (proxy.flowCount > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await udpAsk(proxy.port, 'ping 4', one)).toMatch(/^echo \d+: ping 4$/);
    expect(proxy.flowCount).toBe(1);
  });
});
