import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, IS_ROOT, ROOT, World } from './support/world.js';

const COMPOSE = `name: flagged
services:
  db:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "sleep 1000 & wait $$!"]
    environment: { LEVEL: "\${LEVEL:-1}" }
    stop_signal: SIGKILL
  web:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "sleep 1000 & wait $$!"]
    depends_on: [db]
    stop_signal: SIGKILL
  stubborn:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "trap 'echo ignoring TERM' TERM; while true; do sleep 1; done"]
    stop_grace_period: 1h
    profiles: [slow]
  once:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "exit 4"]
    profiles: [jobs]
  unready:
    image: tscompose-test/busybox:latest
    command: ["sleep", "1000"]
    stop_signal: SIGKILL
    healthcheck: { test: ["CMD", "true"], interval: 1h }
    profiles: [slow]
  built:
    build: .
    command: ["sleep", "1000"]
    stop_signal: SIGKILL
    profiles: [built]
`;

interface PsRow { ID: string; Name: string; Service: string; State: string; ExitCode: number }
interface Event { action: string; service: string; attributes: Record<string, string> }

// The up, down, ps, run and exec flags the other end-to-end files leave out, each by its effect.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('command flags end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const ps = async (...args: string[]): Promise<PsRow[]> => {
    const r = await cli('--profile', '*', 'ps', '-a', '--format', 'json', ...args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as PsRow[];
  };
  const states = async (): Promise<string[][]> => (await ps()).map((r) => [r.Name, r.State]);
  const events = async (): Promise<Event[]> => {
    const r = await cli('events', '--json', '--since', '0', '--until', '0s');
    return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Event);
  };
  /** Runs the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
  const onTerminal = (args: string): Promise<{ code: number | null; stdout: string }> => new Promise((resolve) => {
    const child = spawn('script', ['-qec', `stty rows 30 cols 90; ${process.execPath} ${CLI} -f ${file} --progress quiet ${args}`, '/dev/null'], { env: world.env, cwd: world.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    // script's stdin stays open until it is done: at end of file it would type an EOF into the terminal.
    child.on('close', (code) => { child.stdin.end(); resolve({ code, stdout: stdout.replaceAll('\r', '') }); });
  });

  beforeAll(async () => {
    writeFileSync(file, COMPOSE);
    await world.loadImages();
  }, 120_000);

  afterAll(() => world.finish(() => cli('--profile', '*', 'down', '-t', '0')), 120_000);

  it('up --no-start creates the containers and starts none; start runs them', async () => {
    const up = await cli('up', '--no-start');
    expect(up.code, up.stderr).toBe(0);
    expect(await states()).toEqual([['flagged-db-1', 'created'], ['flagged-web-1', 'created']]);
    expect((await cli('ps', '-q')).stdout).toBe('');
    const start = await cli('start');
    expect(start.code, start.stderr).toBe(0);
    expect(await states()).toEqual([['flagged-db-1', 'running'], ['flagged-web-1', 'running']]);
  });

  it('up --dry-run after the command prints the plan and changes nothing; --no-recreate keeps a changed container', async () => {
    const before = await ps();
    const plan = await world.cli(['-f', file, 'up', '-d', '--dry-run'], { env: { LEVEL: '2' } });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('recreate flagged-db-1 (configuration changed)');
    const kept = await world.cli(['-f', file, 'up', '-d', '--no-recreate'], { env: { LEVEL: '2' } });
    expect(kept.code, kept.stderr).toBe(0);
    expect((await ps()).map((r) => r.ID)).toEqual(before.map((r) => r.ID));
    const env = await cli('exec', '-T', 'db', 'sh', '-c', 'echo $LEVEL');
    expect(env.stdout).toBe('1\n');
  });

  it('up --no-deps starts the named service without its dependencies', async () => {
    expect((await cli('down', '-t', '0')).code).toBe(0);
    const up = await cli('up', '-d', '--no-deps', 'web');
    expect(up.code, up.stderr).toBe(0);
    expect(await states()).toEqual([['flagged-web-1', 'running']]);
    const withDeps = await cli('up', '-d', 'web');
    expect(withDeps.code, withDeps.stderr).toBe(0);
    expect(await states()).toEqual([['flagged-db-1', 'running'], ['flagged-web-1', 'running']]);
  });

  it('ps -q prints the running ids, --services their services, --status filters by state, table has Compose\'s columns', async () => {
    expect((await cli('--profile', 'jobs', 'up', '-d', 'once')).code).toBe(0);
    expect((await cli('--profile', 'jobs', 'wait', 'once')).code).toBe(4);
    const rows = await ps();
    const id = (name: string): string => rows.find((r) => r.Name === name)?.ID ?? '?';
    expect((await cli('ps', '-q')).stdout.split('\n').filter((l) => l !== '').sort()).toEqual([id('flagged-db-1'), id('flagged-web-1')].sort());
    expect((await cli('ps', '-a', '-q')).stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
    expect((await cli('ps', '--services')).stdout).toBe('db\nweb\n');
    expect((await cli('ps', '--status', 'exited', '--services')).stdout).toBe('once\n');
    const exited = JSON.parse((await cli('ps', '--status', 'exited', '--format', 'json')).stdout) as PsRow[];
    expect(exited.map((r) => [r.Name, r.State, r.ExitCode])).toEqual([['flagged-once-1', 'exited', 4]]);
    expect((await cli('ps', '--status', 'running', '--status', 'exited', '-q')).stdout.split('\n').filter((l) => l !== '')).toHaveLength(3);
    expect((await cli('ps', '--status', 'paused', '-q')).stdout).toBe('');
    const table = (await cli('ps', '-a')).stdout.split('\n');
    expect(table[0]).toMatch(/^NAME +IMAGE +COMMAND +SERVICE +CREATED +STATUS +PORTS$/);
    expect(table.find((l) => l.startsWith('flagged-once-1'))).toMatch(/ Exited \(4\)/);
    expect(table.find((l) => l.startsWith('flagged-db-1'))).toMatch(/ Up /);
  });

  it('up --abort-on-container-exit stops the rest of the stack when one container ends, with its status', async () => {
    const up = await cli('--profile', 'jobs', 'up', '--abort-on-container-exit', 'db', 'once');
    expect(up.code).toBe(4);
    expect(up.stderr).toContain('Aborting on container exit...');
    expect(up.stdout).toMatch(/^once-1 +exited with code 4$/m);
    expect((await ps()).find((r) => r.Name === 'flagged-db-1')).toMatchObject({ State: 'exited', ExitCode: 137 });
    expect((await cli('--profile', 'jobs', 'up', '-d', 'db', 'web')).code).toBe(0);
  });

  it('up -t and down -t give a container that ignores its stop signal that many seconds, then kill it', async () => {
    const up = await cli('--profile', 'slow', 'up', '-d', 'stubborn');
    expect(up.code, up.stderr).toBe(0);
    // stop_grace_period is an hour: only -t 0 lets these return.
    const recreate = await cli('--profile', 'slow', 'up', '-d', '--force-recreate', '-t', '0', 'stubborn');
    expect(recreate.code, recreate.stderr).toBe(0);
    const down = await cli('--profile', 'slow', 'down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    const deaths = (await events()).filter((e) => e.service === 'stubborn' && e.action === 'die');
    expect(deaths.map((e) => e.attributes.exitCode)).toEqual(['137', '137']);
    expect(await states()).toEqual([]);
  });

  it('up --wait --wait-timeout fails with status 1 naming what is not ready, and leaves it running', async () => {
    const up = await cli('--profile', 'slow', 'up', '--wait', '--wait-timeout', '1', 'unready');
    expect(up.code).toBe(1);
    expect(up.stderr).toContain('not ready after 1000 ms: flagged-unready-1');
    expect(up.stderr).toContain('[TIMEOUT]');
    expect(await states()).toEqual([['flagged-unready-1', 'running']]);
    expect((await cli('--profile', 'slow', 'down', '-t', '0')).code).toBe(0);
  });

  it('down --rmi local removes the images named after the project only; named images stay', async () => {
    expect((await world.cli(['image', 'tag', 'tscompose-test/busybox:latest', 'flagged-built'])).code).toBe(0);
    const up = await cli('--profile', 'built', 'up', '-d', 'built');
    expect(up.code, up.stderr).toBe(0);
    const down = await cli('--profile', 'built', 'down', '-t', '0', '--rmi', 'local');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('Image flagged-built  Removed');
    expect(down.stderr).not.toContain('Image tscompose-test/busybox');
    const images = JSON.parse((await world.cli(['image', 'ls', '--format', 'json'])).stdout) as Array<{ names: string[] }>;
    const names = images.flatMap((i) => i.names);
    expect(names.some((n) => n.includes('flagged-built'))).toBe(false);
    expect(names.some((n) => n.includes('tscompose-test/busybox'))).toBe(true);
  });

  it('run --no-deps leaves the dependencies alone; run without it starts them', async () => {
    const alone = await cli('run', '--rm', '--no-deps', 'web', 'echo', 'alone');
    expect(alone).toMatchObject({ code: 0, stdout: 'alone\n' });
    expect(await states()).toEqual([]);
    const withDeps = await cli('run', '--rm', 'web', 'echo', 'with db');
    expect(withDeps).toMatchObject({ code: 0, stdout: 'with db\n' });
    expect(await states()).toEqual([['flagged-db-1', 'running']]);
  });

  it('run -i feeds stdin to the one-off; run -T and exec -T give no terminal even on one', async () => {
    const piped = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [CLI, '-f', file, 'run', '--rm', '--no-deps', '-i', '-T', 'web', 'tr', 'a-z', 'A-Z'], { env: world.env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      child.on('close', () => resolve(out));
      child.stdin.end('given on stdin\n');
    });
    expect(piped).toBe('GIVEN ON STDIN\n');
    const run = await onTerminal("run --rm --no-deps -T web sh -c 'tty; exit 3'");
    expect(run).toEqual({ code: 3, stdout: 'not a tty\n' });
    const withTty = await onTerminal("run --rm --no-deps web sh -c 'tty'");
    expect(withTty.stdout).toMatch(/^\/dev\/pts\/\d+\n$/);
    const exec = await onTerminal("exec -T db sh -c 'tty; exit 2'");
    expect(exec).toEqual({ code: 2, stdout: 'not a tty\n' });
  });
});
