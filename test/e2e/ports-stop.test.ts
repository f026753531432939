import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, freePort, hold, httpGet, type HttpAnswer } from './support/host-ports.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

// Published ports follow the container's state, as with Docker: a stopped container lets go of its
// host ports, `start` binds them again, and `start` of a container whose port was taken meanwhile
// fails with PORT_IN_USE and leaves it stopped. Also: a runtime root so deep that the supervisor's
// socket path is longer than a unix socket address holds.

/**
 * The answer through the published port. A refused connection means the host port is not served and
 * is returned at once; a connection the proxy accepted but closed means the server in the container
 * is not listening yet (it was just started), and is tried again, a bounded number of times.
 */
async function served(port: number): Promise<HttpAnswer> {
  let answer: HttpAnswer = { error: 'not tried' };
  for (let i = 0; i < 600; i++) {
    answer = await httpGet(port);
    if ('status' in answer || answer.error === 'ECONNREFUSED') return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return answer;
}

const COMPOSE = (name: string, port: number): string => `name: ${name}
services:
  web:
    image: tscompose-test/probe:latest
    command: ["sh", "-c", "mkdir -p /www && echo served > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${port}:8080"]
    restart: always
    stop_signal: SIGKILL
`;

const OK = { status: expect.stringMatching(/^HTTP\/1\.[01] 200/), body: 'served\n' };

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('published ports of stopped containers', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const state = async (): Promise<string[]> =>
    (JSON.parse((await cli('ps', '-a', '--format', 'json')).stdout) as Array<{ Name: string; State: string }>).map((r) => `${r.Name} ${r.State}`);
  let port = 0;

  beforeAll(async () => {
    await world.loadImages();
    port = await freePort();
    writeFileSync(file, COMPOSE('portstop', port));
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
  }, 180_000);

  afterAll(() => world.finish(() => cli('down', '-t', '0')), 120_000);

  it('stop lets go of the host port (anyone may bind it), start serves it again', async () => {
    expect(await served(port)).toEqual(OK);
    const stop = await cli('stop');
    expect(stop.code, stop.stderr).toBe(0);
    expect(await state()).toEqual(['portstop-web-1 exited']);
    const mine = await hold(port);
    expect(mine).toBeDefined();
    await close(mine as Server);
    const start = await cli('start');
    expect(start.code, start.stderr).toBe(0);
    expect(await served(port)).toEqual(OK);
  }, 120_000);

  it('up of a stopped container serves its port by the time it returns', async () => {
    expect((await cli('stop')).code).toBe(0);
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect(await state()).toEqual(['portstop-web-1 running']);
    // A refused connection would mean the port is not served yet: served() does not wait for that.
    expect(await served(port)).toEqual(OK);
  }, 120_000);

  it('start and restart of a container whose port was taken fail with PORT_IN_USE naming the holder, and leave it stopped', async () => {
    const stop = await cli('stop');
    expect(stop.code, stop.stderr).toBe(0);
    const holder = await hold(port);
    expect(holder).toBeDefined();
    try {
      for (const verb of ['start', 'restart']) {
        const refused = await cli(verb);
        expect(refused.code, verb).not.toBe(0);
        expect(refused.stderr).toContain('[PORT_IN_USE]');
        expect(refused.stderr).toContain(`publish 127.0.0.1:${port}/tcp for \`portstop-web-1\`: it is already in use by pid ${process.pid}`);
        expect(await state()).toEqual(['portstop-web-1 exited']);
      }
      // The port is still this process's: nothing of the project took it.
      expect(await httpGet(port)).toEqual({ error: 'closed without an answer' });
    } finally {
      await close(holder as Server);
    }
    const start = await cli('start');
    expect(start.code, start.stderr).toBe(0);
    expect(await state()).toEqual(['portstop-web-1 running']);
    expect(await served(port)).toEqual(OK);
  }, 120_000);
});

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('a runtime root too deep for a unix socket path', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const runtimeRoot = join(world.dir, 'a-runtime-root-nested-deeper-than-a-unix-socket-address-can-name', 'and-then-some');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args], { env: { TSCOMPOSE_RUNTIME_ROOT: runtimeRoot } });

  beforeAll(async () => {
    await world.loadImages();
  }, 180_000);

  afterAll(() => world.dispose());

  it('up -d serves the project through its supervisor, ps shows it, down leaves nothing', async () => {
    const socket = join(runtimeRoot, 'projects', 'deeproot', 'supervisor.sock');
    expect(Buffer.byteLength(socket)).toBeGreaterThan(107);
    const port = await freePort();
    writeFileSync(file, COMPOSE('deeproot', port));
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect(existsSync(socket)).toBe(true);
    const ps = await cli('ps', '--format', 'json');
    expect((JSON.parse(ps.stdout) as Array<{ Name: string; State: string; Ports: string }>).map((r) => [r.Name, r.State, r.Ports]))
      .toEqual([['deeproot-web-1', 'running', `127.0.0.1:${port}->8080/tcp`]]);
    // The published port is the supervisor's work: it answers.
    expect(await served(port)).toEqual(OK);
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    const netns = join(runtimeRoot, 'netns');
    expect(existsSync(socket)).toBe(false);
    expect(existsSync(netns) ? readdirSync(netns) : []).toEqual([]);
    expect(world.containerDirs()).toEqual([]);
    expect(world.leaks()).toEqual({ mounts: [], processes: [] });
    expect(await httpGet(port)).toEqual({ error: 'ECONNREFUSED' });
  }, 180_000);
});
