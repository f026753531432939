import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityOf } from '../../src/state/process-identity.js';
import { LiveCli } from './support/live-cli.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('up flags, the project lock and Ctrl-C', { timeout: 180_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const gate = join(world.dir, 'gate');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const ps = async (): Promise<Array<{ ID: string; Name: string; State: string; ExitCode: number }>> => {
    const result = await cli('ps', '-a', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Array<{ ID: string; Name: string; State: string; ExitCode: number }>;
  };
  const live: LiveCli[] = [];

  beforeAll(async () => {
    mkdirSync(gate);
    writeFileSync(file, [
      'name: flags',
      'services:',
      '  db:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo db ready; trap \'echo db stopping; exit 0\' TERM; sleep 1000 & wait $!"]',
      '  init:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "while [ ! -e /gate/open ]; do sleep 1; done; echo init done"]',
      '    volumes: ["./gate:/gate"]',
      '  web:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo web up; sleep 1000 & wait $!"]',
      '    stop_grace_period: 1s',
      '    depends_on:',
      '      db: { condition: service_started }',
      '      init: { condition: service_completed_successfully }',
      '  quiet:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo quiet says something; sleep 1000 & wait $!"]',
      '    attach: false',
      '  stubborn:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "trap \'echo ignoring TERM\' TERM; echo stubborn up; while true; do sleep 1; done"]',
      '    stop_grace_period: 1h',
      '    profiles: [stubborn]',
      '  failing:',
      '    image: tscompose-test/probe:latest',
      '    command: ["probe", "exit", "7"]',
      '    profiles: [failing]',
      '',
    ].join('\n'));
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    for (const l of live) l.kill();
    await cli('--profile', '*', 'down', '-t', '0');
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('attached up streams a container from the moment it starts, before the rest of the stack is up', async () => {
    rmSync(join(gate, 'open'), { force: true });
    const up = new LiveCli(world, ['-f', file, 'up', '--attach-dependencies', 'web', 'quiet']);
    live.push(up);
    await up.until('stdout', /^db-1 +\| db ready$/m);
    // web waits for init, which waits for the gate: web cannot have started yet.
    expect(up.stderr).not.toContain('Container flags-web-1  Started');
    expect(up.stdout).not.toContain('web up');
    writeFileSync(join(gate, 'open'), '');
    await up.until('stdout', /^web-1 +\| web up$/m);
    expect(up.stdout).toMatch(/^init-1 +\| init done$/m);
    expect(up.stdout).toMatch(/^init-1 exited with code 0$/m);
    // attach: false keeps quiet's output out, though it was named.
    expect(up.stdout).not.toContain('quiet says something');
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(130);
    expect(up.stderr).toContain('Gracefully stopping... (press Ctrl+C again to force)');
    expect(up.stderr).toContain('Container flags-web-1  Stopped');
    expect(up.stdout).toMatch(/^db-1 +\| db stopping$/m);
    const states = Object.fromEntries((await ps()).map((r) => [r.Name, r.State]));
    expect(states).toMatchObject({ 'flags-db-1': 'exited', 'flags-web-1': 'exited', 'flags-quiet-1': 'exited' });
  });

  it('a second Ctrl-C kills what the first one is stopping gracefully', async () => {
    const up = new LiveCli(world, ['-f', file, '--profile', 'stubborn', 'up', 'stubborn']);
    live.push(up);
    await up.until('stdout', /stubborn-1 +\| stubborn up/);
    up.child.kill('SIGINT');
    await up.until('stderr', /Container flags-stubborn-1 {2}Stopping/);
    await up.until('stdout', /ignoring TERM/);
    up.child.kill('SIGINT');
    expect(await up.exited).toBe(130);
    const stubborn = (await ps()).find((r) => r.Name === 'flags-stubborn-1');
    expect(stubborn).toMatchObject({ State: 'exited', ExitCode: 137 });
  });

  it('--abort-on-container-failure stops the stack and exits with the failing status', async () => {
    const up = await cli('--profile', 'failing', 'up', '--abort-on-container-failure', 'db', 'failing');
    expect(up.code).toBe(7);
    expect(up.stderr).toContain('Aborting on container exit...');
    expect(up.stdout).toMatch(/^failing-1 exited with code 7$/m);
    const db = (await ps()).find((r) => r.Name === 'flags-db-1');
    expect(db?.State).toBe('exited');
  });

  it('--no-attach leaves a service out of the output; --attach picks the one shown', async () => {
    const up = await cli('--profile', 'failing', 'up', '--abort-on-container-exit', '--no-attach', 'db', 'db', 'failing');
    expect(up.code).toBe(7);
    expect(up.stdout).not.toContain('db ready');
    const only = await cli('--profile', 'failing', 'up', '--attach', 'failing', '--exit-code-from', 'failing', 'db', 'failing');
    expect(only.code).toBe(7);
    expect(only.stdout).not.toContain('db ready');
    expect(only.stdout).toMatch(/failing-1 exited with code 7/);
  });

  it('--scale overrides the replicas, up and down', async () => {
    writeFileSync(join(gate, 'open'), '');
    const three = await cli('up', '-d', '--scale', 'db=3', 'db');
    expect(three.code, three.stderr).toBe(0);
    const dbs = (await ps()).filter((r) => r.Name.startsWith('flags-db-')).map((r) => [r.Name, r.State]);
    expect(dbs).toEqual([['flags-db-1', 'running'], ['flags-db-2', 'running'], ['flags-db-3', 'running']]);
    const one = await cli('up', '-d', '--scale', 'db=1', 'db');
    expect(one.code, one.stderr).toBe(0);
    expect((await ps()).filter((r) => r.Name.startsWith('flags-db-')).map((r) => r.Name)).toEqual(['flags-db-1']);
    const bad = await cli('up', '-d', '--scale', 'db');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('is not SERVICE=NUMBER');
  });

  it('--always-recreate-deps recreates the dependencies of the named service', async () => {
    const before = (await ps()).find((r) => r.Name === 'flags-db-1')?.ID;
    const up = await cli('up', '-d', '--always-recreate-deps', 'web');
    expect(up.code, up.stderr).toBe(0);
    const after = (await ps()).find((r) => r.Name === 'flags-db-1')?.ID;
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    const clash = await cli('up', '-d', '--always-recreate-deps', '--no-recreate', 'web');
    expect(clash.code).not.toBe(0);
    expect(clash.stderr).toContain('cannot be combined');
  });

  it('--progress json prints one object per step; quiet prints none', async () => {
    const json = await cli('--progress', 'json', 'up', '-d', '--force-recreate', 'db');
    expect(json.code, json.stderr).toBe(0);
    const events = json.stderr.trim().split('\n').map((l) => JSON.parse(l) as { resource: string; status: string; text: string });
    expect(events).toContainEqual(expect.objectContaining({ resource: 'flags-db-1', status: 'done', text: 'Started' }));
    const quiet = await cli('up', '-d', '--progress', 'quiet', '--force-recreate', 'db');
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
  });

  it('a second up waits for the project lock held by another, then converges to the same containers once', async () => {
    const lockFile = join(world.dir, 'run', 'locks', 'project-flags.lock');
    mkdirSync(join(world.dir, 'run', 'locks'), { recursive: true });
    // The lock as another live tscompose holds it: this test process's identity.
    writeFileSync(lockFile, JSON.stringify(identityOf(process.pid)));
    const first = new LiveCli(world, ['-f', file, 'up', '-d', 'quiet']);
    const second = new LiveCli(world, ['-f', file, 'up', '-d', 'quiet']);
    live.push(first, second);
    await first.until('stderr', /waiting for another tscompose on project flags/);
    await second.until('stderr', /waiting for another tscompose on project flags/);
    expect(first.stderr).not.toContain('Creating');
    rmSync(lockFile);
    expect(await first.exited, first.stderr).toBe(0);
    expect(await second.exited, second.stderr).toBe(0);
    const quiet = (await ps()).filter((r) => r.Name.startsWith('flags-quiet-'));
    expect(quiet.map((r) => [r.Name, r.State])).toEqual([['flags-quiet-1', 'running']]);
    // Two ups at once with nothing holding the lock: one runs after the other, each container exists once.
    const [a, b] = await Promise.all([cli('up', '-d', '--force-recreate', 'quiet', 'db'), cli('up', '-d', 'quiet', 'db')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const names = (await ps()).map((r) => r.Name).filter((n) => n.startsWith('flags-quiet-') || n.startsWith('flags-db-')).sort();
    expect(names).toEqual(['flags-db-1', 'flags-quiet-1']);
  });

  it('down -t 0 kills at once; down --rmi all removes the images the services used', async () => {
    const down = await cli('--profile', '*', 'down', '-t', '0', '--rmi', 'all');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('Image tscompose-test/busybox:latest  Removed');
    expect(world.containerDirs()).toEqual([]);
    const images = await world.cli(['image', 'ls', '--format', 'json']);
    const names = (JSON.parse(images.stdout) as Array<{ names: string[] }>).flatMap((i) => i.names);
    expect(names.some((n) => n.includes('tscompose-test/busybox'))).toBe(false);
    expect(names.some((n) => n.includes('tscompose-test/probe'))).toBe(false);
  });
});
