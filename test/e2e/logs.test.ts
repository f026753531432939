import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LiveCli } from './support/live-cli.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

// The log flags of `logs` and of attached `up`, on the samples (migrate: a one-shot then an app that
// ticks three times, 0.2 s apart; hello: two services), and `logs -f` across a restart.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('log flags end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const sample = (name: string): string => join(ROOT, 'samples', name, 'compose.yaml');
  const migrate = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', sample('migrate'), ...args]);
  const followFile = join(world.dir, 'follow.yaml');
  const growFile = join(world.dir, 'grow.yaml');
  const grow = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', growFile, ...args]);
  const live: LiveCli[] = [];
  const ESC = '\u001b[';

  /** Non-empty lines of an output. */
  const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');
  /** `logs -t --no-log-prefix app`: each line of app with the time it was written. */
  const timedApp = async (): Promise<Array<{ time: string; text: string }>> => {
    const logs = await migrate('logs', '-t', '--no-log-prefix', 'app');
    expect(logs.code, logs.stderr).toBe(0);
    return lines(logs.stdout).map((l) => {
      const space = l.indexOf(' ');
      return { time: l.slice(0, space), text: l.slice(space + 1) };
    });
  };

  beforeAll(async () => {
    await world.loadImages();
    const up = await migrate('up');
    expect(up.code, up.stderr).toBe(0);
    writeFileSync(followFile, [
      'name: follow',
      'services:',
      '  ticker:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo booted; sleep 1000 & wait $!"]',
      '    stop_signal: SIGKILL',
      '',
    ].join('\n'));
    // web says which container it is first; burst prints two lines and exits at once.
    writeFileSync(growFile, [
      'name: grow',
      'services:',
      '  web:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo first $$(hostname); sleep 1000 & wait $$!"]',
      '    stop_signal: SIGKILL',
      '  burst:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo burst one; echo burst two"]',
      '',
    ].join('\n'));
  }, 120_000);

  afterAll(async () => {
    for (const l of live) l.kill();
    await migrate('down', '-v', '-t', '0');
    await world.cli(['-f', sample('hello'), 'down', '-t', '0']);
    await world.cli(['-f', followFile, 'down', '-t', '0']);
    await grow('down', '-t', '0');
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  }, 120_000);

  it('logs -t puts the RFC 3339 time each line was written before it, in order', async () => {
    const timed = await timedApp();
    expect(timed.map((l) => l.text)).toEqual(['app sees schema=2', 'tick 1', 'tick 2', 'tick 3']);
    for (const l of timed) expect(l.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    const times = timed.map((l) => Date.parse(l.time));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // With the prefix, the time comes after it.
    const prefixed = await migrate('logs', '-t', 'app');
    expect(lines(prefixed.stdout)[1]).toBe(`app-1 | ${timed[1]?.time} tick 1`);
  });

  it('logs --tail N shows the last N lines of each container; --tail 0 none, all every line', async () => {
    const two = await migrate('logs', '--no-log-prefix', '--tail', '2', 'app');
    expect(two).toMatchObject({ code: 0, stdout: 'tick 2\ntick 3\n' });
    const each = await migrate('logs', '-n', '1');
    expect(lines(each.stdout).sort()).toEqual(['app-1       | tick 3', 'migration-1 | done']);
    expect((await migrate('logs', '--tail', '0')).stdout).toBe('');
    expect(lines((await migrate('logs', '--tail', 'all', 'app')).stdout)).toHaveLength(4);
  });

  it('logs --since and --until keep the lines written inside the window (times, unix seconds, durations ago)', async () => {
    const timed = await timedApp();
    const at = (text: string): string => timed.find((l) => l.text === text)?.time ?? '?';
    const window = async (...args: string[]): Promise<string[]> => {
      const logs = await migrate('logs', '--no-log-prefix', ...args, 'app');
      expect(logs.code, logs.stderr).toBe(0);
      return lines(logs.stdout);
    };
    expect(await window('--since', at('tick 2'))).toEqual(['tick 2', 'tick 3']);
    expect(await window('--until', at('tick 1'))).toEqual(['app sees schema=2', 'tick 1']);
    expect(await window('--since', at('tick 2'), '--until', at('tick 2'))).toEqual(['tick 2']);
    const seconds = String(Math.floor(Date.parse(at('tick 3')) / 1000) + 1);
    expect(await window('--since', seconds)).toEqual([]);
    expect(await window('--since', '1h')).toHaveLength(4);
    expect(await window('--until', '1h')).toEqual([]);
    const bad = await migrate('logs', '--since', 'yesterday-ish');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('is not a time');
  });

  it('logs colours each container prefix when colour is forced, and --no-color leaves it plain', async () => {
    const forced = await world.cli(['-f', sample('migrate'), 'logs', 'app'], { env: { FORCE_COLOR: '1' } });
    expect(forced.code, forced.stderr).toBe(0);
    expect(lines(forced.stdout).every((l) => l.startsWith(ESC) && l.includes('app-1 | '))).toBe(true);
    const plain = await world.cli(['-f', sample('migrate'), 'logs', '--no-color', 'app'], { env: { FORCE_COLOR: '1' } });
    expect(plain.stdout).not.toContain(ESC);
    expect(lines(plain.stdout)).toEqual(['app-1 | app sees schema=2', 'app-1 | tick 1', 'app-1 | tick 2', 'app-1 | tick 3']);
  });

  it('attached up: --timestamps, --no-log-prefix and --no-color shape the streamed lines', async () => {
    const hello = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', sample('hello'), 'up', ...args], { env: { FORCE_COLOR: '1' } });
    const stamped = await hello('--timestamps', '--no-color', '--force-recreate');
    expect(stamped.code, stamped.stderr).toBe(0);
    expect(stamped.stdout).not.toContain(ESC);
    const line = lines(stamped.stdout).find((l) => l.includes('hello, from'));
    expect(line).toMatch(/^greeter-1 +\| \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z hello, from [0-9a-f]{12}$/);
    expect(lines(stamped.stdout)).toContain('greeter-1 exited with code 0');

    const bare = await hello('--no-log-prefix', '--no-color', '--force-recreate');
    expect(bare.code, bare.stderr).toBe(0);
    expect(lines(bare.stdout)).toEqual(expect.arrayContaining([expect.stringMatching(/^hello, from [0-9a-f]{12}$/), 'the probe runs after greeter finished']));
    expect(bare.stdout).not.toMatch(/^\S+-1 +\| /m);

    const coloured = await hello('--force-recreate');
    expect(coloured.code, coloured.stderr).toBe(0);
    expect(lines(coloured.stdout).find((l) => l.includes('hello, from'))?.startsWith(ESC)).toBe(true);
  });

  it('logs -f keeps following a container through a restart, and ends once it is stopped', async () => {
    const up = await world.cli(['-f', followFile, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const follow = new LiveCli(world, ['-f', followFile, 'logs', '-f', '--no-log-prefix']);
    live.push(follow);
    await follow.until('stdout', /^booted$/m);
    const restart = await world.cli(['-f', followFile, 'restart', 'ticker']);
    expect(restart.code, restart.stderr).toBe(0);
    await follow.until('stdout', /^booted\nbooted$/m);
    const stop = await world.cli(['-f', followFile, 'stop', 'ticker']);
    expect(stop.code, stop.stderr).toBe(0);
    expect(await follow.exited).toBe(0);
    expect(follow.stdout).toBe('booted\nbooted\n');
  });

  it('logs -f web follows the container a recreate makes from its first line, leaves other services out, and ends once web is stopped', async () => {
    const up = await grow('up', '-d', 'web');
    expect(up.code, up.stderr).toBe(0);
    const follow = new LiveCli(world, ['-f', growFile, 'logs', '-f', '--no-log-prefix', 'web']);
    live.push(follow);
    await follow.until('stdout', /^first [0-9a-f]{12}$/m);
    const recreate = await grow('up', '-d', '--force-recreate', 'web');
    expect(recreate.code, recreate.stderr).toBe(0);
    await follow.until('stdout', /^first [0-9a-f]{12}\nfirst [0-9a-f]{12}$/m);
    // A service not followed prints nothing here.
    const burst = await grow('up', '-d', 'burst');
    expect(burst.code, burst.stderr).toBe(0);
    const stop = await grow('stop', 'web');
    expect(stop.code, stop.stderr).toBe(0);
    expect(await follow.exited).toBe(0);
    const firsts = lines(follow.stdout);
    expect(firsts).toHaveLength(2);
    expect(firsts.every((l) => /^first [0-9a-f]{12}$/.test(l))).toBe(true);
    // Two containers: the first and the one that replaced it, each line once.
    expect(new Set(firsts).size).toBe(2);
    const ps = await grow('ps', '-a', '--format', 'json');
    expect(ps.code, ps.stderr).toBe(0);
    expect(ps.stdout).toContain(firsts[1]?.slice('first '.length));
  });

  it('logs -f follows a replica added by --scale and a service started later (one that exits at once), with their prefixes; --tail only cuts those present; Ctrl-C ends it with 130', async () => {
    expect((await grow('down', '-t', '0')).code).toBe(0);
    const up = await grow('up', '-d', 'web');
    expect(up.code, up.stderr).toBe(0);
    const follow = new LiveCli(world, ['-f', growFile, 'logs', '-f', '--no-color', '--tail', '0']);
    live.push(follow);
    const scale = await grow('up', '-d', '--scale', 'web=2', 'web');
    expect(scale.code, scale.stderr).toBe(0);
    await follow.until('stdout', /^web-2 +\| first [0-9a-f]{12}$/m);
    const burst = await grow('up', '-d', 'burst');
    expect(burst.code, burst.stderr).toBe(0);
    await follow.until('stdout', /^burst-1 +\| burst two$/m);
    follow.child.kill('SIGINT');
    expect(await follow.exited).toBe(130);
    const out = lines(follow.stdout);
    // web-1 was there before: --tail 0 leaves out its line; the containers that came later show all theirs, once.
    expect(out.filter((l) => l.startsWith('web-1 '))).toEqual([]);
    expect(out.filter((l) => l.startsWith('web-2 '))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('burst-1 '))).toEqual(['burst-1 | burst one', 'burst-1 | burst two']);
    expect(out).toHaveLength(3);
    expect(follow.stderr).toBe('');
  });
});
