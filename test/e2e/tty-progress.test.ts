import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figures } from 'listr2';
import { CLI, IS_ROOT, ROOT, World } from './support/world.js';

const COMPOSE = `name: ttyprog
services:
  web:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    depends_on: [db]
  db:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
`;

const ATTACHED = `name: ttyattach
services:
  hello:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "echo hello-from-the-log"]
`;

const BROKEN = `name: ttyfail
services:
  broken:
    image: tscompose-test/busybox:latest
    command: ["/no/such/program"]
`;

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`, given a size as a terminal window has one), as
 * a user at a terminal would: its status and all it drew.
 */
async function onTerminal(world: World, args: string[]): Promise<{ status: number | null; screen: string }> {
  const quoted = args.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const child = spawn('script', ['-qfec', `stty rows 40 cols 120; ${process.execPath} ${CLI} ${quoted}`, '/dev/null'], { env: world.env, stdio: ['pipe', 'pipe', 'inherit'] });
  let screen = '';
  child.stdout.on('data', (b: Buffer) => (screen += b.toString()));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // script's stdin stays open until it is done: at end of file it would type an EOF into the terminal.
  child.stdin.end();
  return { status, screen };
}

/** The lines of the last frame the task list drew (after its last erase), without colours. */
function finalFrame(screen: string): string[] {
  const text = screen.replaceAll('\r', '');
  const erase = text.lastIndexOf('\x1b[G');
  return stripVTControlCharacters(text.slice(erase < 0 ? 0 : erase)).split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
}

// `up -d` and `down` with the listr2 task list, on a terminal.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('the task list progress end to end', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const attached = join(world.dir, 'attached.yaml');
  const broken = join(world.dir, 'broken.yaml');

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, COMPOSE);
    writeFileSync(attached, ATTACHED);
    writeFileSync(broken, BROKEN);
  }, 120_000);

  afterAll(async () => {
    const down = await world.cli(['-f', file, 'down', '-t', '1']);
    const downAttached = await world.cli(['-f', attached, 'down', '-t', '1']);
    const downBroken = await world.cli(['-f', broken, 'down', '-t', '1']);
    const leaks = world.leaks();
    const dirs = world.containerDirs();
    world.dispose();
    expect(down.code, down.stderr).toBe(0);
    expect(downAttached.code, downAttached.stderr).toBe(0);
    expect(downBroken.code, downBroken.stderr).toBe(0);
    expect(dirs).toEqual([]);
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('up -d draws a completed task per resource, exits 0 and leaves the stack up; down does the same', async () => {
    const up = await onTerminal(world, ['-f', file, 'up', '-d', '--progress', 'tty']);
    expect(up.status, up.screen).toBe(0);
    const frame = finalFrame(up.screen);
    expect(frame, up.screen).toEqual([
      expect.stringMatching(new RegExp(`^${figures.tick} Network ttyprog_default  Created  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-db-1  Started  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-web-1  Started  \\d+\\.\\ds$`)),
    ]);
    // listr2 drew it in place (erasing the frame before) and showed the cursor again at the end.
    expect(up.screen).toContain('\x1b[2K');
    expect(up.screen).toContain('\x1b[?25h');
    const running = await world.cli(['-f', file, 'ps', '--status', 'running', '--services']);
    expect(running.stdout.split('\n').filter((s) => s !== '').sort()).toEqual(['db', 'web']);

    const down = await onTerminal(world, ['--progress', 'tty', '-f', file, 'down', '-t', '1']);
    expect(down.status, down.screen).toBe(0);
    expect(finalFrame(down.screen), down.screen).toEqual([
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-web-1  Removed  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-db-1  Removed  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Network ttyprog_default  Removed  \\d+\\.\\ds$`)),
    ]);
    const after = await world.cli(['-f', file, 'ps', '-a', '-q']);
    expect(after).toMatchObject({ code: 0, stdout: '' });
  }, 120_000);

  it('--progress tty draws the same list when stderr is not a terminal', async () => {
    const up = await world.cli(['-f', file, 'up', '-d', '--progress', 'tty']);
    expect(up.code, up.stderr).toBe(0);
    expect(finalFrame(up.stderr), up.stderr).toEqual([
      expect.stringMatching(new RegExp(`^${figures.tick} Network ttyprog_default  Created  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-db-1  Started  \\d+\\.\\ds$`)),
      expect.stringMatching(new RegExp(`^${figures.tick} Container ttyprog-web-1  Started  \\d+\\.\\ds$`)),
    ]);
  }, 120_000);

  it('attached up ends the task list before the log stream starts', async () => {
    const up = await onTerminal(world, ['-f', attached, 'up', '--progress', 'tty']);
    expect(up.status, up.screen).toBe(0);
    const screen = up.screen.replaceAll('\r', '');
    const lastFrame = screen.lastIndexOf('\x1b[G');
    const log = screen.indexOf('hello-from-the-log');
    expect(lastFrame, screen).toBeGreaterThan(0);
    expect(log, screen).toBeGreaterThan(lastFrame);
    expect(finalFrame(screen.slice(0, screen.indexOf('\n', log) + 1))[0], screen).toMatch(new RegExp(`^${figures.tick} Network ttyattach_default  Created`));
  }, 120_000);

  it('shows a failed start as a failed task, then the error, and exits with its status', async () => {
    const up = await onTerminal(world, ['-f', broken, 'up', '-d', '--progress', 'tty']);
    expect(up.status, up.screen).toBe(1);
    const screen = up.screen.replaceAll('\r', '');
    const error = screen.lastIndexOf('start `ttyfail-broken-1`: exec: "/no/such/program"');
    expect(error, screen).toBeGreaterThan(screen.lastIndexOf('\x1b[G'));
    expect(screen.slice(error), screen).toContain('[CONTAINER_START]');
    const frame = finalFrame(screen.slice(0, error));
    expect(frame[0], screen).toMatch(new RegExp(`^${figures.tick} Network ttyfail_default  Created`));
    expect(frame[1], screen).toMatch(new RegExp(`^${figures.cross} Container ttyfail-broken-1  Error start \`ttyfail-broken-1\`: exec:`));
    expect(frame.slice(-2), screen).toEqual([expect.stringMatching(new RegExp(`^  ${figures.tick} Created`)), `  ${figures.cross} Starting`]);
  }, 120_000);
});
