import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, IS_ROOT, ROOT, World } from './support/world.js';

const COMPOSE = `name: stdindemo
services:
  tool:
    image: tscompose-test/busybox:latest
    command: ["true"]
  shell:
    image: tscompose-test/busybox:latest
    command: ["sh"]
    stdin_open: true
    tty: true
  plain:
    image: tscompose-test/busybox:latest
    command: ["sh"]
`;

interface Outcome { code: number | null; stdout: string; stderr: string }

// Standard input and terminals of containers: `run` fed from the caller's stdin (Compose's default
// -i), `run` on a terminal, and services with stdin_open and tty.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('stdin and tty end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);

  /** Runs the CLI with `input` on its stdin, closed after it. */
  const withInput = (input: string | undefined, ...args: string[]): Promise<Outcome> => new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '-f', file, ...args], { env: world.env, cwd: world.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input === undefined) return;
    child.stdin.end(input);
  });

  /** Runs `command` in a shell on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
  const onTerminal = (command: string): Promise<Outcome> => new Promise((resolve) => {
    // script's stdin stays open until it is done: at end of file it would type an EOF into the terminal.
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: world.env, cwd: world.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => { child.stdin.end(); resolve({ code, stdout, stderr }); });
  });

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, COMPOSE);
  }, 120_000);

  afterAll(() => world.finish(() => cli('down', '-t', '0')));

  it('run gives the caller\'s stdin to the one-off and closes it at the end of the input', async () => {
    const r = await withInput('first\nsecond\n', 'run', '--rm', '-T', 'tool', 'cat');
    expect(r.stderr).not.toContain('Error');
    expect(r).toMatchObject({ code: 0, stdout: 'first\nsecond\n' });
    const read = await withInput('typed\n', 'run', '--rm', '-T', 'tool', 'sh', '-c', 'read line; echo "got:$line"; read more || echo "end of input"');
    expect(read).toMatchObject({ code: 0, stdout: 'got:typed\nend of input\n' });
    expect(world.containerDirs()).toEqual([]);
  });

  it('run --no-interactive gives the one-off no stdin at all', async () => {
    const r = await withInput('ignored\n', 'run', '--rm', '-T', '--no-interactive', 'tool', 'sh', '-c', 'cat; echo done');
    expect(r).toMatchObject({ code: 0, stdout: 'done\n' });
  });

  it('run on a terminal gives the one-off a terminal of the caller\'s size, and its exit status', async () => {
    const r = await onTerminal(`stty rows 31 cols 97; ${process.execPath} ${CLI} -f ${file} --progress quiet run --rm tool sh -c 'tty; stty size; exit 4'`);
    const lines = r.stdout.replaceAll('\r', '').trim().split('\n');
    expect(lines, r.stderr).toEqual(['/dev/pts/0', '31 97']);
    expect(r.code).toBe(4);
    expect(world.containerDirs()).toEqual([]);
  });

  it('a service with stdin_open and tty keeps its shell running on a terminal; without them it ends', async () => {
    const up = await cli('up', '-d', 'shell', 'plain');
    expect(up.code, up.stderr).toBe(0);
    const waited = await cli('wait', 'plain');
    expect(waited.code, waited.stderr).toBe(0);
    expect(waited.stdout).toContain('exited with status code 0');
    const inside = await cli('exec', '-T', 'shell', 'sh', '-c', 'ls -l /proc/1/fd/0 | sed "s/.*-> //"');
    expect(inside).toMatchObject({ code: 0, stdout: '/dev/pts/0\n' });
    const ps = JSON.parse((await cli('ps', '-a', '--format', 'json')).stdout) as Array<{ Service: string; State: string }>;
    expect(ps.map((r) => [r.Service, r.State])).toEqual([['plain', 'exited'], ['shell', 'running']]);
  });

  it('attach on a terminal leaves the container running at Ctrl-P Ctrl-Q, while it is quiet', async () => {
    const child = spawn('script', ['-qec', `stty rows 24 cols 80; ${process.execPath} ${CLI} -f ${file} attach shell`, '/dev/null'], { env: world.env, cwd: world.dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // Keys are typed once the attachment answers (the terminal is raw by then): a command whose answer is computed inside.
    const answered = new Promise<void>((resolve) => child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
      if (stdout.includes('ready-2')) resolve();
    }));
    child.stdin.write('echo ready-$((1 + 1))\n');
    await answered;
    child.stdin.write('\x10\x11');
    const code = await closed;
    child.stdin.end();
    expect(code).toBe(0);
    const ps = JSON.parse((await cli('ps', '--format', 'json', 'shell')).stdout) as Array<{ State: string }>;
    expect(ps.map((r) => r.State)).toEqual(['running']);
  });

  it('attach feeds the running shell of a service and returns its exit status; a stopped one is refused', async () => {
    const stopped = await withInput('', 'attach', 'plain');
    expect(stopped.code).not.toBe(0);
    expect(stopped.stderr).toContain('[SERVICE_NOT_RUNNING]');
    const r = await withInput('echo "from $((40 + 2))"\nexit 3\n', 'attach', 'shell');
    // The terminal echoes the input; the shell's answer is computed inside the container.
    expect(r.stdout.replaceAll('\r', '')).toContain('from 42\n');
    expect(r.code, r.stderr).toBe(3);
  });
});
