import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

// `tscompose image …` through bin/tscompose as a user would, each world with its own roots.
interface Listed {
  names: string[];
  digest: string;
  id: string;
}

const BUSYBOX = 'tscompose-test/busybox:latest';
const PROBE = 'tscompose-test/probe:latest';

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('image commands end to end', () => {
  const world = new World();
  const compose = join(world.dir, 'compose.yaml');
  const layers = (): string[] => {
    const dir = join(world.dir, 'data', 'layers');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };
  const list = async (w: World = world): Promise<Listed[]> => {
    const ls = await w.cli(['image', 'ls', '--format', 'json']);
    expect(ls.code, ls.stderr).toBe(0);
    return JSON.parse(ls.stdout) as Listed[];
  };
  const digestOf = async (name: string): Promise<string | undefined> =>
    (await list()).find((i) => i.names.includes(`docker.io/${name}`))?.digest;

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(compose, `services:\n  sleeper:\n    image: ${BUSYBOX}\n    command: ["sleep", "30"]\n    stop_signal: SIGKILL\n`);
  }, 120_000);

  afterAll(async () => {
    await world.cli(['-f', compose, '-p', 'imgs', 'down']);
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('image ls lists the loaded test images, by name in the table and by digest with -q', async () => {
    const table = await world.cli(['image', 'ls']);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^IMAGE +DIGEST +SIZE$/);
    for (const name of [BUSYBOX, PROBE, 'tscompose-test/layers:latest']) expect(table.stdout).toMatch(new RegExp(`^${name} +[0-9a-f]{12} +[0-9.]+[kM]?B$`, 'm'));
    const quiet = await world.cli(['image', 'ls', '-q']);
    expect(quiet.stdout.trim().split('\n').sort()).toEqual((await list()).map((i) => i.digest).sort());
  });

  it('image inspect prints JSON by default and a readable summary with --format pretty', async () => {
    const json = await world.cli(['image', 'inspect', BUSYBOX]);
    const details = JSON.parse(json.stdout) as Listed & { config: { cmd: string[] } };
    expect(details.digest).toBe(await digestOf(BUSYBOX));
    expect(details.config.cmd).toEqual(['sh']);
    const pretty = await world.cli(['image', 'inspect', '--format', 'pretty', BUSYBOX]);
    expect(pretty.code, pretty.stderr).toBe(0);
    expect(pretty.stdout).toMatch(new RegExp(`^Digest: +${details.digest}$`, 'm'));
    expect(pretty.stdout).toMatch(/^Cmd: +sh$/m);
    expect(pretty.stdout).toMatch(/^Layers:\n +1 +sha256:[0-9a-f]{64} +[0-9.]+[kM]?B$/m);
    const bad = await world.cli(['image', 'inspect', '--format', 'yaml', BUSYBOX]);
    expect(bad.code).not.toBe(0);
  });

  it('image save, then image load into a second empty world, gives the same digests', async () => {
    const archive = join(world.dir, 'saved.tar');
    const save = await world.cli(['image', 'save', '-o', archive, BUSYBOX, PROBE]);
    expect(save.code, save.stderr).toBe(0);
    const other = new World();
    try {
      expect((await other.cli(['image', 'ls', '-q'])).stdout).toBe('');
      const load = await other.cli(['image', 'load', '-i', archive]);
      expect(load.code, load.stderr).toBe(0);
      expect(load.stdout).toContain(`Loaded image: ${BUSYBOX}`);
      const theirs = (await other.cli(['image', 'ls', '-q'])).stdout.trim().split('\n').sort();
      expect(theirs).toEqual([await digestOf(BUSYBOX), await digestOf(PROBE)].sort());
    } finally {
      other.dispose();
    }
  });

  it('image tag adds a name to the same image, and image rm of one name only takes that name off', async () => {
    const digest = await digestOf(BUSYBOX);
    expect((await world.cli(['image', 'tag', BUSYBOX, 'mine/box:1'])).code).toBe(0);
    expect(await digestOf('mine/box:1')).toBe(digest);
    expect((await world.cli(['image', 'ls'])).stdout).toMatch(/^mine\/box:1 +/m);
    const rm = await world.cli(['image', 'rm', 'mine/box:1']);
    expect(rm).toMatchObject({ code: 0, stdout: 'Untagged: mine/box:1\n' });
    expect(await digestOf('mine/box:1')).toBeUndefined();
    expect(await digestOf(BUSYBOX)).toBe(digest);
  });

  it('image rm of an image a container uses is refused, and allowed with -f (the image stays, nameless)', async () => {
    const digest = await digestOf(BUSYBOX);
    const up = await world.cli(['-f', compose, '-p', 'imgs', 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const refused = await world.cli(['image', 'rm', BUSYBOX]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('[IMAGE_IN_USE]');
    expect(await digestOf(BUSYBOX)).toBe(digest);
    const forced = await world.cli(['image', 'rm', '-f', BUSYBOX]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(await digestOf(BUSYBOX)).toBeUndefined();
    expect((await list()).find((i) => i.digest === digest)?.names).toEqual([]);
    expect((await world.cli(['image', 'ls'])).stdout).toMatch(new RegExp(`^<none> +${digest?.slice(7, 19)} `, 'm'));
    expect((await world.cli(['-f', compose, '-p', 'imgs', 'down'])).code).toBe(0);
  });

  it('image prune removes nameless unused images, then the layers that nothing refers to any more', async () => {
    const nameless = (await list()).find((i) => i.names.length === 0)?.digest;
    expect(nameless).toBeDefined();
    const before = layers();
    expect(before).toHaveLength(1);
    // The busybox layer is also the probe image's first layer: it stays while that image does.
    const first = await world.cli(['image', 'prune']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`Deleted image: ${nameless}\n`);
    expect(first.stdout).not.toContain('Deleted layer:');
    expect(layers()).toEqual(before);
    expect((await list()).map((i) => i.digest)).not.toContain(nameless);

    expect((await world.cli(['image', 'rm', PROBE])).code).toBe(0);
    const second = await world.cli(['image', 'prune']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain(`Deleted layer: sha256:${before[0] as string}\n`);
    expect(second.stdout).toMatch(/^Total reclaimed space: [0-9.]+[kM]B$/m);
    expect(layers()).toEqual([]);
    const third = await world.cli(['image', 'prune']);
    expect(third.stdout).toBe('Total reclaimed space: 0B\n');
  });
});
