// The userland proxies of published ports, against plain servers on loopback (no containers).
// TCP runs build/native/tsc-proxy processes; every test checks that none of them is left behind.
import { spawn } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { randomBytes, createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpProxy } from '../../../src/net/ports/tcp-proxy.js';
import { PortsPart } from '../../../src/runtime/supervisor/ports-part.js';
import { UdpProxy } from '../../../src/net/ports/udp-proxy.js';

const PROXY = fileURLToPath(new URL('../../../build/native/tsc-proxy', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  expect(proxyProcesses()).toEqual([]);
});

/** The pids of tsc-proxy processes whose parent is this process. */
function proxyProcesses(): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'tsc-proxy' && ppid === process.pid) found.push(Number(entry));
    } catch {
      // The process ended while the list was read.
    }
  }
  return found;
}

/** A server that reads until the client half-closes, then answers with the sha256 and length of what it got. */
async function hashServer(host: string, tag: string): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const hash = createHash('sha256');
    let bytes = 0;
    // A proxy that ends resets the connections it carried; the target side sees ECONNRESET, as it may.
    socket.on('error', () => socket.destroy());
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
  const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: targetPort }, proxyPath: PROXY });
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
    const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port }, proxyPath: PROXY });
    await proxy.start();
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'close');
    const published = proxy.port;
    await proxy.close();
    const again = new TcpProxy({ hostIp: '127.0.0.1', hostPort: published, target: { host: '127.0.0.1', port }, proxyPath: PROXY });
    await again.start();
    await again.close();
  });

  it('fails to start with PORT_IN_USE naming the port when the port is taken', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const taken = new TcpProxy({ hostIp: '127.0.0.1', hostPort: portOf(target), target: { host: '127.0.0.1', port: 1 }, proxyPath: PROXY });
    await expect(taken.start()).rejects.toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining(`127.0.0.1:${portOf(target)}/tcp: bind: EADDRINUSE`) });
    expect(taken.running).toBe(false);
  });

  it('fails with NATIVE_MISSING when the proxy program is not there', async () => {
    const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: 1 }, proxyPath: `${PROXY}-missing` });
    await expect(proxy.start()).rejects.toMatchObject({ code: 'NATIVE_MISSING' });
  });
});

/** /proc/<pid>/stat, or undefined once the process is gone. */
function statOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Waits until a process has ended: gone, or a zombie (of another parent) unless `reaped` asks for
 * it to be gone (a child of ours, once this process has seen its exit).
 */
async function ended(pid: number, reaped = false): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const stat = statOf(pid);
    if (stat === undefined) return;
    if (!reaped && stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} is still running`);
}

describe('tsc-proxy process', () => {
  it('ends with status 0 when its stdin closes, closing the connections it carries and freeing its port', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const child = spawn(PROXY, ['tcp', '127.0.0.1', '0', '127.0.0.1', String(portOf(target))], { stdio: ['pipe', 'pipe', 'inherit'] });
    const exit = once(child, 'exit');
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { port } = JSON.parse(line) as { port: number };
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'connect');
    // Not events.once: it rejects on the ECONNRESET a reset connection may bring first.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    child.stdin.end();
    expect(await exit).toEqual([0, null]);
    await closed;
    const again = new TcpProxy({ hostIp: '127.0.0.1', hostPort: port, target: { host: '127.0.0.1', port: portOf(target) }, proxyPath: PROXY });
    await again.start();
    await again.close();
  });

  it('ends when the process that started it is killed', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const script = `import { TcpProxy } from ${JSON.stringify(`${ROOT}src/net/ports/tcp-proxy.ts`)};
      const proxy = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: ${portOf(target)} }, proxyPath: ${JSON.stringify(PROXY)} });
      await proxy.start();
      console.log(JSON.stringify({ pid: proxy.pid, port: proxy.port }));
      setInterval(() => undefined, 1000);`;
    const parent = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const parentExit = once(parent, 'exit');
    cleanups.push(async () => { if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL'); await parentExit; });
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
    const { pid, port } = JSON.parse(line) as { pid: number; port: number };
    expect(await exchange(port, Buffer.from('before'))).toMatch(/^t 6 /);
    parent.kill('SIGKILL');
    await parentExit;
    await ended(pid);
    const again = new TcpProxy({ hostIp: '127.0.0.1', hostPort: port, target: { host: '127.0.0.1', port: portOf(target) }, proxyPath: PROXY });
    await again.start();
    await again.close();
  });

  it('out of file descriptors, refuses new connections by closing them and serves again once one ends', async () => {
    const target = await hashServer('127.0.0.1', 't');
    // 16 descriptors: its own 7 and 6 for one connection (two sockets, two pipes).
    const child = spawn('prlimit', ['--nofile=16:16', PROXY, 'tcp', '127.0.0.1', '0', '127.0.0.1', String(portOf(target))], { stdio: ['pipe', 'pipe', 'ignore'] });
    const exit = once(child, 'exit');
    cleanups.push(async () => { child.stdin.end(); await exit; });
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { port } = JSON.parse(line) as { port: number };
    const first = connect({ host: '127.0.0.1', port, allowHalfOpen: true });
    const answer: Buffer[] = [];
    first.on('data', (chunk: Buffer) => answer.push(chunk));
    await once(first, 'connect');
    first.write('one');
    const refused = connect({ host: '127.0.0.1', port });
    refused.on('error', () => undefined);
    const got: Buffer[] = [];
    refused.on('data', (chunk: Buffer) => got.push(chunk));
    await once(refused, 'close');
    expect(Buffer.concat(got).length).toBe(0);
    first.end();
    await once(first, 'end');
    first.destroy();
    expect(Buffer.concat(answer).toString()).toMatch(/^t 3 /);
    expect(await exchange(port, Buffer.from('again'))).toMatch(/^t 5 /);
  });

  it('close() ends the process and the connections it carries; nothing is left running', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const proxy = await tcpProxy(portOf(target));
    const pid = proxy.pid;
    expect(pid).toBeGreaterThan(0);
    expect(proxyProcesses()).toEqual([pid]);
    const socket = connect({ host: '127.0.0.1', port: proxy.port });
    socket.on('error', () => undefined);
    socket.resume();
    await once(socket, 'connect');
    socket.write('partial, never ended');
    // Not events.once: it rejects on the ECONNRESET a reset connection may bring first.
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await proxy.close();
    await closed;
    expect(proxy.running).toBe(false);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
  });
});

describe('PortsPart with tsc-proxy', () => {
  it('starts a new proxy process by itself when the one serving a port died', async () => {
    const target = await hashServer('127.0.0.1', 't');
    const part = new PortsPart({ log: () => undefined, proxyPath: PROXY });
    cleanups.push(() => part.close());
    const free = new TcpProxy({ hostIp: '127.0.0.1', hostPort: 0, target: { host: '127.0.0.1', port: 1 }, proxyPath: PROXY });
    await free.start();
    const hostPort = free.port;
    await free.close();
    const section = { bindings: [{ container: 'p-web-1', service: 'web', hostIp: '127.0.0.1', hostPort, containerPort: portOf(target), protocol: 'tcp', containerIp: '127.0.0.1' }] };
    await part.reconcile(section);
    const [first] = proxyProcesses();
    expect(first).toBeGreaterThan(0);
    process.kill(first as number, 'SIGKILL');
    await ended(first as number, true);
    // No reconcile: the part notices the exit and serves the port again with a new process.
    let second: number | undefined;
    for (let i = 0; i < 500 && (second === undefined || second === first); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      [second] = proxyProcesses();
    }
    expect(second).toBeGreaterThan(0);
    expect(second).not.toBe(first);
    await part.reconcile(section);
    expect(proxyProcesses()).toEqual([second]);
    expect(await exchange(hostPort, Buffer.from('back'))).toMatch(/^t 4 /);
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
