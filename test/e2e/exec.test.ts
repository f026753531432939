import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, IS_ROOT, ROOT, World } from './support/world.js';

const COMPOSE = `name: execdemo
services:
  web:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    environment:
      GREETING: hello
    working_dir: /tmp
    scale: 2
  done:
    image: tscompose-test/busybox:latest
    command: ["true"]
`;

// `tscompose exec` on a running project, as a user types it.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('exec end to end', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, COMPOSE);
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(() => world.finish(() => cli('down', '-t', '1')));

  it('runs a command in the service\'s container with its environment and working directory', async () => {
    const r = await cli('exec', '-T', 'web', 'sh', '-c', 'echo "$GREETING"; pwd; id -u');
    expect(r).toMatchObject({ code: 0, stdout: 'hello\n/tmp\n0\n' });
  });

  it('takes -e, -u and -w, and passes options after the command to it', async () => {
    const r = await cli('exec', '-T', '-e', 'GREETING=hi', '-e', 'EXTRA=1', '-u', 'nobody', '-w', '/', 'web', 'sh', '-c', 'echo "$GREETING $EXTRA $HOME"; pwd; id -u; id -g');
    expect(r).toMatchObject({ code: 0, stdout: 'hi 1 /nonexistent\n/\n65534\n65534\n' });
    const ls = await cli('exec', '-T', 'web', 'ls', '-d', '/etc');
    expect(ls.stdout).toBe('/etc\n');
  });

  it('exits with the command\'s status, 128+n when a signal ended it', async () => {
    expect((await cli('exec', '-T', 'web', 'sh', '-c', 'echo out; exit 3')).code).toBe(3);
    const killed = await cli('exec', '-T', 'web', 'sh', '-c', 'kill -KILL $$');
    expect(killed.code, killed.stderr).toBe(137);
  });

  it('passes a SIGTERM it gets on to the command, and exits with the command\'s status', async () => {
    const child = spawn(process.execPath, [CLI, '-f', file, 'exec', '-T', 'web', 'sh', '-c', 'trap "echo got TERM; exit 9" TERM; echo ready; while :; do sleep 0.1; done'], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const readyOrClosed = new Promise<void>((resolve) => {
      child.stdout.on('data', (b: Buffer) => {
        stdout += b.toString();
        if (stdout.includes('ready')) resolve();
      });
      child.on('close', () => resolve());
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await readyOrClosed;
    child.kill('SIGTERM');
    expect(await closed).toBe(9);
    expect(stdout).toBe('ready\ngot TERM\n');
  });

  it('feeds its stdin to the command without a TTY', () => {
    const r = spawnSync(process.execPath, [CLI, '-f', file, 'exec', '-T', 'web', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped in\n', env: world.env, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('PIPED IN\n');
  });

  it('--index picks the replica', async () => {
    const ps = JSON.parse((await cli('ps', '--format', 'json')).stdout) as { ID: string; Name: string }[];
    const id = (name: string): string => ps.find((c) => c.Name === name)?.ID.slice(0, 12) ?? '?';
    expect((await cli('exec', '-T', 'web', 'hostname')).stdout).toBe(`${id('execdemo-web-1')}\n`);
    expect((await cli('exec', '-T', '--index', '2', 'web', 'hostname')).stdout).toBe(`${id('execdemo-web-2')}\n`);
    const third = await cli('exec', '-T', '--index', '3', 'web', 'true');
    expect(third.code).toBe(1);
    expect(third.stderr).toContain('service "web" is not running container #3 [SERVICE_NOT_RUNNING]');
  });

  it('says a service without a running container is not running, and an unknown one does not exist', async () => {
    const stopped = await cli('exec', '-T', 'done', 'true');
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain('service "done" is not running [SERVICE_NOT_RUNNING]');
    const unknown = await cli('exec', '-T', 'nope', 'true');
    expect(unknown.stderr).toContain('no such service: nope');
  });

  it('fails a command missing from the image with EXEC_FAILED (126), naming container, step and cause', async () => {
    const r = await cli('exec', '-T', 'web', 'no-such-command');
    expect(r.code).toBe(126);
    expect(r.stderr).toContain('exec in `execdemo-web-1`: exec: "no-such-command": executable file not found in $PATH [EXEC_FAILED]');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('-d leaves the command running in the container', async () => {
    const r = await cli('exec', '-d', 'web', 'sleep', '300');
    expect(r, r.stderr).toMatchObject({ code: 0, stdout: '' });
    const count = await cli('exec', '-T', 'web', 'sh', '-c', 'ps -o stat,args | grep -v "^Z" | grep -c "^[RS].*sleep 30[0]"');
    expect(count.stdout).toBe('1\n');
  });

  it('gives a terminal when stdin is one: a pty of the container, the caller\'s window size, the exit status', async () => {
    const command = `stty rows 33 cols 101; ${process.execPath} ${CLI} -f ${file} exec web sh -c 'tty; stty size; exit 5'`;
    // script's stdin stays open until it is done: at end of file it would type an EOF into the terminal.
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: world.env, stdio: ['pipe', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.stdin.end();
    const r = { stdout, status };
    const lines = r.stdout.replaceAll('\r', '').trim().split('\n');
    expect(lines[0]).toMatch(/^\/dev\/pts\/\d+$/);
    expect(lines[1]).toBe('33 101');
    expect(r.status).toBe(5);
  });
});
