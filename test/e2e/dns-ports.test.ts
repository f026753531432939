import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { connect, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, hold, httpGet } from './support/host-ports.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

// Service discovery and published ports through bin/tscompose: names resolve inside the project's
// networks, published TCP and UDP ports answer on 127.0.0.1, a taken port stops `up` before it creates anything.
// The UDP server is this machine's node, bind-mounted with its libraries (busybox has no UDP server).

/** A run of `count` free TCP and UDP ports on 127.0.0.1 starting at a random high port (several test files run at once). */
async function freeRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 30000);
    const held: Server[] = [];
    let ok = true;
    for (let p = base; p < base + count && ok; p++) {
      const server = await hold(p);
      if (server === undefined) ok = false;
      else held.push(server);
    }
    await Promise.all(held.map(close));
    if (ok) return base;
  }
  throw new Error('no run of free ports');
}

async function firstLine(port: number): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.on('error', () => undefined);
  await once(socket, 'close');
  return Buffer.concat(chunks).toString().split('\n')[0] ?? '';
}

/** The status line of `GET /` on 127.0.0.1:port, or why there was no answer. */
async function httpStatus(port: number): Promise<string> {
  const answer = await httpGet(port);
  return 'status' in answer ? answer.status : answer.error;
}

async function udpAsk(port: number, text: string): Promise<string> {
  const client = createSocket('udp4');
  try {
    const reply = once(client, 'message');
    client.send(text, port, '127.0.0.1');
    const [message] = (await reply) as [Buffer];
    return message.toString();
  } finally {
    client.close();
  }
}

const UDP_ECHO = "const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send('pong '+m,r.port,r.address));s.bind(5353)";

function compose(web: number, range: number): string {
  return `name: dnsports
services:
  web:
    image: tscompose-test/probe:latest
    command: ["sh", "-c", "httpd -p 81 -h /tmp && exec probe listen 80"]
    ports: ["127.0.0.1:${web}-${web + 1}:80-81"]
    networks:
      default:
        aliases: [frontend]
  api:
    image: tscompose-test/probe:latest
    command: ["probe", "listen", "80"]
    deploy:
      replicas: 3
    ports:
      - { target: 80, host_ip: 127.0.0.1, published: "${range}-${range + 10}", protocol: tcp }
  echo:
    image: tscompose-test/busybox:latest
    command: ["/usr/bin/node", "-e", ${JSON.stringify(UDP_ECHO)}]
    ports: ["127.0.0.1::5353/udp"]
    volumes:
      - ${process.execPath}:/usr/bin/node:ro
      - /usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:ro
      - /usr/lib64:/lib64:ro
  client:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    stop_signal: SIGKILL
`;
}

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('dns and published ports end to end', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const takenFile = join(world.dir, 'taken.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const sh = async (script: string): Promise<{ code: number; out: string }> => {
    const r = await cli('exec', '-T', 'client', 'sh', '-c', script);
    return { code: r.code, out: r.stdout + r.stderr };
  };
  let web = 0;
  let range = 0;
  let blocker: Server | undefined;

  beforeAll(async () => {
    await world.loadImages();
    web = await freeRun(2);
    range = await freeRun(11);
    // The first port of the range is taken: the replicas get the next three.
    blocker = await hold(range);
    writeFileSync(file, compose(web, range));
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    const down = await cli('down');
    await world.cli(['-f', takenFile, 'down']);
    await close(blocker);
    const leaks = world.leaks();
    const bridges = await world.cli(['network', 'ls']);
    world.dispose();
    expect(down.code, down.stderr).toBe(0);
    expect(leaks).toEqual({ mounts: [], processes: [] });
    expect(bridges.stdout).not.toContain('dnsports_');
  }, 120_000);

  it('resolves service names (every replica), aliases, container names and service.project inside the network', async () => {
    const addresses = (out: string): string[] => [...out.matchAll(/^Address: (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1] as string);
    const api = await sh('nslookup api');
    expect(api.code, api.out).toBe(0);
    expect(new Set(addresses(api.out)).size).toBe(3);
    const web1 = addresses((await sh('nslookup web')).out);
    expect(web1).toHaveLength(1);
    expect(addresses((await sh('nslookup FrontEnd')).out)).toEqual(web1);
    expect(addresses((await sh('nslookup dnsports-web-1')).out)).toEqual(web1);
    expect(addresses((await sh('nslookup web.dnsports')).out)).toEqual(web1);
    expect((await sh('echo | nc frontend 80')).out).toMatch(/^probe \S+ 80$/m);
    expect((await sh('ping -c1 -W5 dnsports-api-2')).code).toBe(0);
    expect((await world.cli(['network', 'ls'])).stdout).toContain('dnsports_default');
    // Outside names are not forwarded in tests (TSCOMPOSE_DNS_UPSTREAM=none): the resolver says SERVFAIL.
    const unknown = await sh('nslookup nowhere.invalid');
    expect(unknown.code).not.toBe(0);
    expect(unknown.out).toContain('SERVFAIL');
  });

  it('publishes a pairwise range: 127.0.0.1:web -> 80 and web+1 -> 81, shown by port and ps', async () => {
    expect(await firstLine(web)).toMatch(/^probe \S+ 80$/);
    expect(await httpStatus(web + 1)).toMatch(/^HTTP\/1\.[01] \d{3}/);
    const port = await cli('port', 'web', '80');
    expect(port.stdout).toBe(`127.0.0.1:${web}\n`);
    const ps = await cli('ps');
    expect(ps.stdout).toMatch(new RegExp(`dnsports-web-1 .*127\\.0\\.0\\.1:${web}->80/tcp, 127\\.0\\.0\\.1:${web + 1}->81/tcp`));
  });

  it('gives each replica the first free port of a host range', async () => {
    const published: number[] = [];
    for (const index of ['1', '2', '3']) {
      const port = await cli('port', '--index', index, 'api', '80');
      expect(port.code, port.stderr).toBe(0);
      published.push(Number(port.stdout.trim().split(':')[1]));
    }
    expect(published.sort()).toEqual([range + 1, range + 2, range + 3]);
    for (const p of published) expect(await firstLine(p)).toMatch(/^probe \S+ 80$/);
    const missing = await cli('port', 'api', '81');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('PORT_NOT_PUBLISHED');
  });

  it('publishes a UDP port on a port the kernel picks and relays the answers back to each client', async () => {
    const port = await cli('port', '--protocol', 'udp', 'echo', '5353');
    expect(port.code, port.stderr).toBe(0);
    const [ip, hostPort] = port.stdout.trim().split(':');
    expect(ip).toBe('127.0.0.1');
    expect(await udpAsk(Number(hostPort), 'one')).toBe('pong one');
    expect(await udpAsk(Number(hostPort), 'two')).toBe('pong two');
  });

  it('fails up with PORT_IN_USE naming the port and its holder, and creates nothing', async () => {
    const taken = await freeRun(1);
    const holder = await hold(taken);
    try {
      writeFileSync(takenFile, `name: taken\nservices:\n  s:\n    image: tscompose-test/busybox:latest\n    command: ["sleep", "60"]\n    ports: ["127.0.0.1:${taken}:80"]\n`);
      const up = await world.cli(['-f', takenFile, 'up', '-d']);
      expect(up.code).toBe(1);
      expect(up.stderr).toContain(`publish 127.0.0.1:${taken}/tcp for \`taken-s-1\`: it is already in use by pid ${process.pid}`);
      expect(up.stderr).toContain('[PORT_IN_USE]');
      const ps = await world.cli(['-f', takenFile, 'ps', '-a', '-q']);
      expect(ps.stdout.trim()).toBe('');
      const network = await world.cli(['network', 'ls']);
      expect(network.stdout).not.toContain('taken_default');
      const netns = join(world.dir, 'run', 'netns');
      expect((existsSync(netns) ? readdirSync(netns) : []).filter((n) => n.includes('taken'))).toEqual([]);
    } finally {
      await close(holder);
    }
  });
});
