import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { close, freePort, hold, httpGet, type HttpAnswer } from './support/host-ports.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

// `run --service-ports` and `run -p` through bin/tscompose: the one-off's ports answer on 127.0.0.1
// while it exists, `port` and `ps -a` show them, a taken port stops `run` before it creates
// anything, and removing the one-off (`run --rm`, `down`) stops serving them.

const COMPOSE = (servicePort: number): string => `name: runports
services:
  web:
    image: tscompose-test/probe:latest
    command: ["sh", "-c", "mkdir -p /www && echo served-by-$$HOSTNAME > /www/index.html && exec httpd -f -p 8080 -h /www"]
    ports: ["127.0.0.1:${servicePort}:8080"]
    volumes: ["./shared:/shared"]
    stop_signal: SIGKILL
`;

interface Binding { container: string; hostIp: string; hostPort: number; containerPort: number }

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('run publishes ports end to end', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const shared = join(world.dir, 'shared');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const bindings = (): Binding[] => {
    const path = join(world.dir, 'run', 'projects', 'runports', 'supervisor.json');
    if (!existsSync(path)) return [];
    return ((JSON.parse(readFileSync(path, 'utf8')) as { sections: { ports?: { bindings: Binding[] } } }).sections.ports?.bindings ?? []);
  };
  const psAll = async (): Promise<Array<{ Name: string; Ports: string }>> => JSON.parse((await cli('ps', '-a', '--format', 'json')).stdout) as Array<{ Name: string; Ports: string }>;
  let servicePort = 0;

  beforeAll(async () => {
    await world.loadImages();
    servicePort = await freePort();
    mkdirSync(shared);
    writeFileSync(file, COMPOSE(servicePort));
  }, 180_000);

  afterAll(() => world.finish(() => cli('down', '-t', '0')), 120_000);

  it('--service-ports publishes the service ports; -p publishes only its own; port and ps -a show them', async () => {
    const withService = await cli('run', '-d', '--service-ports', 'web');
    expect(withService.code, withService.stderr).toBe(0);
    const first = withService.stdout.trim();
    expect(first).toMatch(/^runports-web-run-[0-9a-f]+$/);
    expect(await httpGet(servicePort)).toEqual({ status: expect.stringMatching(/^HTTP\/1\.[01] 200/), body: expect.stringMatching(/^served-by-/) });
    expect((await cli('port', 'web', '8080')).stdout).toBe(`127.0.0.1:${servicePort}\n`);

    const own = await freePort();
    const withPublish = await cli('run', '-d', '-p', `127.0.0.1:${own}:8080`, 'web');
    expect(withPublish.code, withPublish.stderr).toBe(0);
    const second = withPublish.stdout.trim();
    expect(await httpGet(own)).toMatchObject({ status: expect.stringMatching(/ 200/) });
    // Without --service-ports the service's own port is not published for it.
    expect(bindings().filter((b) => b.container === second).map((b) => `${b.hostIp}:${b.hostPort}->${b.containerPort}`)).toEqual([`127.0.0.1:${own}->8080`]);
    // The newest one-off is the one `port` names when the service has no container of its own.
    expect((await cli('port', 'web', '8080')).stdout).toBe(`127.0.0.1:${own}\n`);

    // ps leaves one-offs out; ps -a lists them with their ports, as Compose does.
    expect(JSON.parse((await cli('ps', '--format', 'json')).stdout)).toEqual([]);
    expect((await psAll()).map((r) => [r.Name, r.Ports]).sort()).toEqual([
      [first, `127.0.0.1:${servicePort}->8080/tcp`],
      [second, `127.0.0.1:${own}->8080/tcp`],
    ].sort());

    // down removes the one-offs and stops serving their ports.
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(await httpGet(servicePort)).toEqual({ error: 'ECONNREFUSED' });
    expect(await httpGet(own)).toEqual({ error: 'ECONNREFUSED' });
    expect(await psAll()).toEqual([]);
  }, 120_000);

  it('fails with PORT_IN_USE naming the holder, before anything is created', async () => {
    const taken = await freePort();
    const holder = await hold(taken);
    try {
      const run = await cli('run', '-d', '-p', `127.0.0.1:${taken}:8080`, 'web');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('[PORT_IN_USE]');
      expect(run.stderr).toContain(`127.0.0.1:${taken}/tcp`);
      expect(run.stderr).toContain(`by pid ${process.pid}`);
      expect(await psAll()).toEqual([]);
      expect(world.containerDirs()).toEqual([]);
    } finally {
      await close(holder);
    }

    // A port the project's supervisor serves for a service that `up` started is as taken.
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    const clash = await cli('run', '-d', '--service-ports', 'web');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('[PORT_IN_USE]');
    expect(clash.stderr).toContain(`127.0.0.1:${servicePort}/tcp`);
    expect((await psAll()).map((r) => r.Name)).toEqual(['runports-web-1']);
    expect(await httpGet(servicePort)).toMatchObject({ status: expect.stringMatching(/ 200/) });
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
  }, 120_000);

  it('refuses a bad -p and -p with --service-ports with USAGE', async () => {
    const bad = await cli('run', '-d', '-p', '127.0.0.1:x:8080', 'web');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('[USAGE]');
    const both = await cli('run', '-d', '-p', '8080', '--service-ports', 'web');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('--service-ports and --publish cannot be combined');
    expect(await psAll()).toEqual([]);
  });

  it('run --rm serves the port while the one-off runs, and not after it is gone', async () => {
    const port = await freePort();
    const stop = join(shared, 'stop');
    const running = cli('run', '--rm', '-p', `127.0.0.1:${port}:8080`, 'web', 'sh', '-c',
      'mkdir -p /www && echo attached > /www/index.html && httpd -p 8080 -h /www && while [ ! -e /shared/stop ]; do sleep 0.05; done');
    let ended: Awaited<typeof running> | undefined;
    void running.then((r) => (ended = r));
    // Wait for the one-off's server to answer through its published port (while the run goes on).
    let answer: HttpAnswer = { error: 'not tried' };
    while (ended === undefined && !('status' in answer)) {
      answer = await httpGet(port);
      if (!('status' in answer)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(ended?.stderr).toBeUndefined();
    expect(answer).toEqual({ status: expect.stringMatching(/ 200/), body: 'attached\n' });
    expect(bindings().map((b) => b.hostPort)).toEqual([port]);
    writeFileSync(stop, '');
    const run = await running;
    expect(run.code, run.stderr).toBe(0);
    expect(bindings()).toEqual([]);
    expect(await httpGet(port)).toEqual({ error: 'ECONNREFUSED' });
    expect(await psAll()).toEqual([]);
  }, 120_000);

  it('a one-off that exits without --rm gives its port back, and the next run takes it', async () => {
    const port = await freePort();
    const first = await cli('run', '-T', '-p', `127.0.0.1:${port}:8080`, 'web', 'true');
    expect(first.code, first.stderr).toBe(0);
    const [exited] = await psAll();
    expect(exited?.Name).toMatch(/^runports-web-run-[0-9a-f]+$/);
    // The supervisor hears of the exit by itself, a moment after `run` returns: wait for the proxy to
    // go (bounded), while nothing else asks it to look again.
    let answer = await httpGet(port);
    for (const deadline = Date.now() + 30_000; !('error' in answer && answer.error === 'ECONNREFUSED') && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await httpGet(port);
    }
    expect(answer).toEqual({ error: 'ECONNREFUSED' });

    const again = await cli('run', '--rm', '-T', '-p', `127.0.0.1:${port}:8080`, 'web', 'true');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('PORT_IN_USE');
    // The exited one-off is still there (no --rm), and holds no port.
    expect((await psAll()).map((r) => r.Name)).toEqual([exited?.Name]);
    expect(await httpGet(port)).toEqual({ error: 'ECONNREFUSED' });
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(await psAll()).toEqual([]);
  }, 120_000);
});
