import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IS_ROOT, ROOT, World } from './support/world.js';

// init, sysctls, log rotation and pause from a compose file, through bin/tscompose, on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('init, sysctls, log rotation and pause end to end', () => {
  const world = new World();
  const project = join(world.dir, 'project');
  const compose = join(project, 'compose.yaml');

  beforeAll(async () => {
    await world.loadImages();
    mkdirSync(project, { recursive: true });
    writeFileSync(compose, [
      'name: monitored',
      'services:',
      '  tuned:',
      '    image: tscompose-test/busybox:latest',
      '    init: true',
      '    sysctls:',
      '      net.ipv4.ip_forward: "1"',
      '      kernel.shmmax: "68719476736"',
      '    command: ["sh", "-c", "echo pid=$$$$ init=$$(cat /proc/1/comm) fwd=$$(cat /proc/sys/net/ipv4/ip_forward) shm=$$(cat /proc/sys/kernel/shmmax)"]',
      '  chatty:',
      '    image: tscompose-test/busybox:latest',
      '    logging:',
      '      driver: json-file',
      '      options:',
      '        max-size: 4k',
      '        max-file: "3"',
      '    command: ["sh", "-c", "i=0; while [ $$i -lt 1000 ]; do echo line-$$i; i=$$((i+1)); done"]',
      '  sleeper:',
      '    image: tscompose-test/probe:latest',
      '    command: ["probe", "sleep", "600"]',
      '',
    ].join('\n'));
  }, 120_000);

  afterAll(async () => {
    await world.cli(['-f', compose, 'down']);
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('runs the command under init with its sysctls, and rotates a chatty service\'s log', async () => {
    const up = await world.cli(['-f', compose, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const done = async (service: string): Promise<void> => {
      for (;;) {
        const ps = await world.cli(['-f', compose, 'ps', '-a', '--format', 'json', service]);
        const rows = JSON.parse(ps.stdout || '[]') as { State: string }[];
        if (rows[0]?.State === 'exited') return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await done('tuned');
    await done('chatty');
    const tuned = await world.cli(['-f', compose, 'logs', '--no-log-prefix', 'tuned']);
    expect(tuned.stdout.trim()).toBe('pid=2 init=tsc-init fwd=1 shm=68719476736');

    const chatty = await world.cli(['-f', compose, 'logs', '--no-log-prefix', 'chatty']);
    const lines = chatty.stdout.trim().split('\n');
    const first = Number(/^line-(\d+)$/.exec(lines[0] ?? '')?.[1]);
    expect(first).toBeGreaterThan(0);
    expect(lines).toEqual(Array.from({ length: 1000 - first }, (_, i) => `line-${first + i}`));
    const dirs = world.containerDirs().map((d) => readdirSync(join(world.dir, 'data', 'containers', d)).filter((f) => f.startsWith('container.log')).sort());
    expect(dirs).toContainEqual(['container.log', 'container.log.1', 'container.log.2']);
  });

  it('pauses and unpauses a service, ps shows it paused', async () => {
    const state = async (): Promise<string | undefined> => {
      const ps = await world.cli(['-f', compose, 'ps', '--format', 'json', 'sleeper']);
      return (JSON.parse(ps.stdout || '[]') as { State: string }[])[0]?.State;
    };
    expect(await state()).toBe('running');
    const pause = await world.cli(['-f', compose, 'pause', 'sleeper']);
    expect(pause.code, pause.stderr).toBe(0);
    expect(await state()).toBe('paused');
    const unpause = await world.cli(['-f', compose, 'unpause', 'sleeper']);
    expect(unpause.code, unpause.stderr).toBe(0);
    expect(await state()).toBe('running');
    await world.cli(['-f', compose, 'pause', 'sleeper']);
    const down = await world.cli(['-f', compose, 'down', '-t', '5']);
    expect(down.code, down.stderr).toBe(0);
    expect(world.containerDirs()).toEqual([]);
  });
});
