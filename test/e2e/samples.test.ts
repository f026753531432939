import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

// The sample stacks, driven through bin/tscompose as a user would, on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('samples end to end', () => {
  const world = new World();
  const sample = (name: string): string => join(ROOT, 'samples', name, 'compose.yaml');

  beforeAll(async () => {
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    for (const name of ['hello', 'migrate', 'volumes', 'webapp']) await world.cli(['-f', sample(name), 'down', '-v']);
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('hello: up starts services in dependency order and streams their prefixed logs', async () => {
    const up = await world.cli(['-f', sample('hello'), 'up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/^greeter-1 +\| hello, from [0-9a-f]{12}$/m);
    expect(up.stdout).toMatch(/^probe-1 +\| the probe runs after greeter finished$/m);
    expect(up.stdout).toMatch(/greeter-1 +\| a line on stderr/);
    // probe waits for greeter to complete: it is created only after greeter started.
    const progress = up.stderr.split('\n');
    const greeterStarted = progress.findIndex((l) => l.includes('Container hello-greeter-1  Started'));
    const probeCreating = progress.findIndex((l) => l.includes('Container hello-probe-1  Creating'));
    expect(greeterStarted).toBeGreaterThanOrEqual(0);
    expect(probeCreating).toBeGreaterThan(greeterStarted);
  });

  it('hello: ps -a lists both containers as exited with code 0', async () => {
    const ps = await world.cli(['-f', sample('hello'), 'ps', '-a', '--format', 'json']);
    const rows = JSON.parse(ps.stdout) as Array<{ Name: string; State: string; ExitCode: number }>;
    expect(rows.map((r) => [r.Name, r.State, r.ExitCode])).toEqual([['hello-greeter-1', 'exited', 0], ['hello-probe-1', 'exited', 0]]);
  });

  it('hello: a changed variable recreates only the service that uses it (dry run says so)', async () => {
    const plan = await world.cli(['-f', sample('hello'), '--dry-run', 'up'], { env: { GREETING: 'hi' } });
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('recreate hello-greeter-1 (configuration changed)');
    expect(plan.stderr).not.toContain('recreate hello-probe-1');
  });

  it('migrate: the app sees what the one-shot migration wrote to the shared volume', async () => {
    const up = await world.cli(['-f', sample('migrate'), 'up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/app-1 +\| app sees schema=2/);
    expect(up.stdout).toMatch(/app-1 +\| tick 3/);
  });

  it('volumes: a named volume keeps its data across down and up, is served on a published port, and down -v removes it', async () => {
    const file = sample('volumes');
    const upAndLog = async (): Promise<string> => {
      const up = await world.cli(['-f', file, 'up', '-d']);
      expect(up.code, up.stderr).toBe(0);
      return (await world.cli(['-f', file, 'logs', 'writer'])).stdout;
    };
    const first = await upAndLog();
    expect(first).toMatch(/writer-1 +\| runs so far: 1/);
    expect(first).toContain('bind-mounted read-only');
    // web serves the volume on the first free port of 18080-18099 on the host's loopback.
    const port = await world.cli(['-f', file, 'port', 'web', '8080']);
    expect(port.code, port.stderr).toBe(0);
    expect(port.stdout.trim()).toMatch(/^127\.0\.0\.1:180[89]\d$/);
    const served = await fetch(`http://${port.stdout.trim()}/runs`);
    expect((await served.text()).trim().split('\n')).toHaveLength(1);
    await world.cli(['-f', file, 'down']);
    expect(await upAndLog()).toMatch(/writer-1 +\| runs so far: 2/);
    await world.cli(['-f', file, 'down', '-v']);
    expect(await upAndLog()).toMatch(/writer-1 +\| runs so far: 1/);
  });

  it('webapp: up --wait returns once api is healthy and web, started after it, reaches api by name', async () => {
    const up = await world.cli(['-f', sample('webapp'), 'up', '--wait']);
    expect(up.code, up.stderr).toBe(0);
    const ps = JSON.parse((await world.cli(['-f', sample('webapp'), 'ps', '--format', 'json'])).stdout) as Array<{ Service: string; State: string; Health: string; Status: string }>;
    expect(ps.map((r) => [r.Service, r.State, r.Health])).toEqual([['api', 'running', 'healthy'], ['web', 'running', ''], ['worker', 'running', '']]);
    expect(ps[0]?.Status).toMatch(/^Up .* \(healthy\)$/);
    const events = (await world.cli(['-f', sample('webapp'), 'events', '--json', '--since', '0', '--until', '0s'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { action: string; service: string });
    const at = (service: string, action: string): number => events.findIndex((e) => e.service === service && e.action === action);
    expect(at('api', 'health_status: healthy')).toBeGreaterThan(at('api', 'start'));
    expect(at('web', 'start')).toBeGreaterThan(at('api', 'health_status: healthy'));
    expect(at('worker', 'start')).toBeGreaterThan(at('api', 'start'));
    const logs = await world.cli(['-f', sample('webapp'), 'logs', 'web']);
    expect(logs.stdout).toMatch(/web-1 +\| web: api says \{"status":"ok"\}/);
    expect(world.supervisors().filter((p) => p.includes('--project webapp'))).toHaveLength(1);
  });

  it('down removes every container, and down of a project that never existed succeeds quietly', async () => {
    for (const name of ['hello', 'migrate', 'volumes', 'webapp']) expect((await world.cli(['-f', sample(name), 'down', '-v'])).code).toBe(0);
    expect(world.supervisors()).toEqual([]);
    expect(world.containerDirs()).toEqual([]);
    const never = await world.cli(['-f', sample('hello'), '-p', 'never-existed', 'down']);
    expect(never).toMatchObject({ code: 0, stdout: '' });
  });

  it('a command that does not exist in the image fails up naming the step and the cause, with no stack trace', async () => {
    const file = join(world.dir, 'broken.yaml');
    writeFileSync(file, 'services:\n  bad:\n    image: tscompose-test/busybox:latest\n    command: ["no-such-command"]\n');
    const up = await world.cli(['-f', file, '-p', 'broken', 'up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain('exec: "no-such-command": executable file not found in $PATH');
    expect(up.stderr).toContain('[CONTAINER_START]');
    expect(up.stderr).not.toMatch(/\n\s+at /);
    await world.cli(['-f', file, '-p', 'broken', 'down']);
  });

  it('a missing image fails with IMAGE_NOT_FOUND and a hint', async () => {
    const file = join(world.dir, 'missing.yaml');
    writeFileSync(file, 'services:\n  x:\n    image: no/such-image:1\n');
    const up = await world.cli(['-f', file, '-p', 'missing', 'up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain('[IMAGE_NOT_FOUND]');
    expect(up.stderr).toContain('hint:');
  });
});
