// tsc-proxy's address arguments: IPv4 and IPv6 listen and target addresses, as the proxy names them
// in its log lines, and the arguments it refuses. Loopback only; every process is ended by its pid.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const PROXY = fileURLToPath(new URL('../../../build/native/tsc-proxy', import.meta.url));

const running: ChildProcessWithoutNullStreams[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const child of running.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  }
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A server on `host` that answers every connection with `hello <what it read>` once the client half-closes. */
async function echoServer(host: string): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const got: Buffer[] = [];
    socket.on('data', (d: Buffer) => got.push(d));
    socket.on('end', () => socket.end(`hello ${Buffer.concat(got).toString()}`));
    socket.on('error', () => undefined);
  });
  servers.push(server);
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

interface Started { child: ChildProcessWithoutNullStreams; first: Record<string, unknown>; stderr: () => string }

/** Starts the proxy with these arguments and returns its first stdout line, parsed. */
async function proxy(args: string[]): Promise<Started> {
  const child = spawn(PROXY, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
  return { child, first: JSON.parse(line) as Record<string, unknown>, stderr: () => err };
}

async function roundTrip(host: string, port: number, text: string): Promise<string> {
  const socket = connect({ host, port, allowHalfOpen: true });
  const got: Buffer[] = [];
  socket.on('data', (d: Buffer) => got.push(d));
  await once(socket, 'connect');
  socket.end(text);
  await once(socket, 'close');
  return Buffer.concat(got).toString();
}

describe.runIf(existsSync(PROXY))('tsc-proxy addresses', () => {
  it.each([
    ['IPv6 to IPv6', '::1', '::1'],
    ['IPv4 to IPv6', '127.0.0.1', '::1'],
    ['IPv6 to IPv4', '::1', '127.0.0.1'],
  ])('carries a connection %s', async (_what, listen, target) => {
    const port = await echoServer(target);
    const { first } = await proxy(['tcp', listen, '0', target, String(port)]);
    expect(first.port).toEqual(expect.any(Number));
    expect(await roundTrip(listen, first.port as number, 'there')).toBe('hello there');
  });

  it.each([
    ['127.0.0.1', '127.0.0.1:'],
    ['0:0:0:0:0:0:0:1', '[::1]:'],
  ])('names target %s in its canonical form in log lines', async (target, named) => {
    // A port with nothing behind it: the proxy logs the connect failure, naming its target.
    const closed = await echoServer(target.includes(':') ? '::1' : target);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const { child, first, stderr } = await proxy(['tcp', '127.0.0.1', '0', target, String(closed)]);
    const socket = connect({ host: '127.0.0.1', port: first.port as number });
    socket.on('error', () => undefined);
    await once(socket, 'close');
    child.stdin.end();
    await once(child, 'exit');
    expect(stderr()).toContain(`connect ${named}${closed}: Connection refused`);
  });

  it.each([
    ['an address of neither family', ['tcp', '127.0.0.256', '0', '127.0.0.1', '80'], 'bad host address `127.0.0.256` port `0`'],
    ['a bad IPv6 address', ['tcp', '::1', '0', 'fe80::zz', '80'], 'bad target address `fe80::zz` port `80`'],
    ['a port out of range', ['tcp', '::1', '65536', '::1', '80'], 'bad host address `::1` port `65536`'],
    ['a port that is not a number', ['tcp', '127.0.0.1', '0', '::1', '8o'], 'bad target address `::1` port `8o`'],
  ])('refuses %s with an args error and status 1', async (_what, args, message) => {
    const { child, first } = await proxy(args);
    const [code] = (child.exitCode !== null ? [child.exitCode] : await once(child, 'exit')) as [number];
    expect(first).toEqual({ error: { step: 'args', errno: 22, errnoName: 'EINVAL', message } });
    expect(code).toBe(1);
  });
});
