import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chownSync, existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

// run (one-off containers) and cp (both ways, running and stopped containers) through bin/tscompose.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('run and cp end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const local = (name: string): string => join(world.dir, name);

  beforeAll(async () => {
    mkdirSync(local('shared'));
    writeFileSync(local('shared/greeting.txt'), 'hello from the host\n');
    writeFileSync(file, [
      'name: oneoff',
      'services:',
      '  db:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "sleep 1000 & wait $!"]',
      '  web:',
      '    image: tscompose-test/busybox:latest',
      // Files for cp: a plain file, a link inside the container, and links that try to leave it.
      '    command: ["sh", "-c", "mkdir -p /srv/tree/sub; echo inside > /srv/data.txt; echo deep > /srv/tree/sub/f; ln -s /srv/data.txt /srv/abs; ln -s ../../../../../../etc/hostname /srv/escape; sleep 1000 & wait $!"]',
      '    environment:',
      '      FROM_FILE: file',
      '    depends_on: [db]',
      '',
    ].join('\n'));
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    await cli('down', '-t', '0');
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('run starts the dependencies, streams the one-off output and exits with its status; --rm leaves nothing', async () => {
    const run = await cli('run', '--rm', '-e', 'EXTRA=given', 'web', 'sh', '-c', 'echo "$FROM_FILE $EXTRA"; echo to-stderr >&2; exit 5');
    expect(run.code).toBe(5);
    expect(run.stdout).toBe('file given\n');
    expect(run.stderr).toContain('to-stderr');
    const ps = JSON.parse((await cli('ps', '-a', '--format', 'json')).stdout) as Array<{ Name: string; State: string }>;
    expect(ps.map((r) => [r.Name, r.State])).toEqual([['oneoff-db-1', 'running']]);
    const all = await world.cli(['ls', '-a', '--format', 'json']);
    expect(JSON.parse(all.stdout)).toEqual([expect.objectContaining({ Name: 'oneoff', Status: 'running(1)' })]);
  });

  it('run takes --entrypoint, -u, -w, -v and a name; -d prints the name and leaves it running; down removes it', async () => {
    const run = await cli('run', '--rm', '--no-deps', '--entrypoint', 'sh -c', '-u', '1000:1000', '-w', '/tmp', '-v', './shared:/shared:ro', 'web', 'id -u; pwd; cat /shared/greeting.txt; touch /shared/x || echo read-only');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('1000\n/tmp\nhello from the host\nread-only\n');
    const detached = await cli('run', '-d', '--name', 'oneoff-tool', '-l', 'purpose=test', 'web', 'sleep', '1000');
    expect(detached).toMatchObject({ code: 0, stdout: 'oneoff-tool\n' });
    const dirs = world.containerDirs().length;
    expect(dirs).toBe(2);
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('Container oneoff-tool  Removed');
    expect(world.containerDirs()).toEqual([]);
  });

  it('run refuses a bad port and a bad volume, before creating anything', async () => {
    const ports = await cli('run', '-p', '8080:x', 'web', 'true');
    expect(ports.stderr).toContain('[USAGE]');
    const badVolume = await cli('run', '--no-deps', '-v', 'nosuch:/x', 'web', 'true');
    expect(badVolume.stderr).toContain('[VOLUME_NOT_FOUND]');
    expect(world.containerDirs()).toEqual([]);
  });

  it('cp copies a file and a directory out of a running container', async () => {
    expect((await cli('up', '-d')).code).toBe(0);
    const out = await cli('cp', 'web:/srv/data.txt', local('data.txt'));
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(local('data.txt'), 'utf8')).toBe('inside\n');
    mkdirSync(local('outdir'));
    expect((await cli('cp', 'web:/srv/tree', local('outdir'))).code).toBe(0);
    expect(readFileSync(local('outdir/tree/sub/f'), 'utf8')).toBe('deep\n');
  });

  it('cp keeps a symlink as a link, follows it inside the container with -L, and refuses one that leaves it', async () => {
    expect((await cli('cp', 'web:/srv/abs', local('abs'))).code).toBe(0);
    expect(readlinkSync(local('abs'))).toBe('/srv/data.txt');
    expect((await cli('cp', '-L', 'web:/srv/abs', local('followed'))).code).toBe(0);
    // The container's /srv/data.txt, not a host path of that name.
    expect(readFileSync(local('followed'), 'utf8')).toBe('inside\n');
    const escape = await cli('cp', '-L', 'web:/srv/escape', local('escaped'));
    expect(escape.code).not.toBe(0);
    expect(escape.stderr).toContain('leads outside the container');
    expect(existsSync(local('escaped'))).toBe(false);
  });

  it('cp copies into a running container, as root or with -a keeping owners', async () => {
    mkdirSync(local('payload/inner'), { recursive: true });
    writeFileSync(local('payload/inner/a.txt'), 'payload\n');
    chownSync(local('payload/inner/a.txt'), 1234, 1234);
    expect((await cli('cp', '-a', local('payload'), 'web:/srv/')).code).toBe(0);
    expect((await cli('cp', local('shared/greeting.txt'), 'web:/srv/greeting.txt')).code).toBe(0);
    const check = await cli('exec', '-T', 'web', 'sh', '-c', 'cat /srv/payload/inner/a.txt; stat -c %u /srv/payload/inner/a.txt; stat -c %u /srv/greeting.txt');
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toBe('payload\n1234\n0\n');
  });

  it('cp works on a stopped container through its layers, both ways', async () => {
    expect((await cli('stop', '-t', '0', 'web')).code).toBe(0);
    const out = await cli('cp', 'web:/srv/greeting.txt', local('back.txt'));
    expect(out.code, out.stderr).toBe(0);
    expect(readFileSync(local('back.txt'), 'utf8')).toBe('hello from the host\n');
    // /etc comes from the image's layer: writing there copies the directory up first.
    writeFileSync(local('motd'), 'written while stopped\n');
    expect((await cli('cp', local('motd'), 'web:/etc/motd')).code).toBe(0);
    const image = await cli('cp', 'web:/bin', local('bin-copy'));
    expect(image.code, image.stderr).toBe(0);
    expect(lstatSync(local('bin-copy/sh')).isSymbolicLink() || statSync(local('bin-copy/sh')).isFile()).toBe(true);
    expect((await cli('start', 'web')).code).toBe(0);
    const check = await cli('exec', '-T', 'web', 'cat', '/etc/motd');
    expect(check.stdout).toBe('written while stopped\n');
  });

  it('cp needs exactly one SERVICE:PATH operand and a service with a container', async () => {
    const both = await cli('cp', local('a'), local('b'));
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('exactly one of its operands');
    const missing = await cli('cp', 'web:/no/such/file', local('x'));
    expect(missing.stderr).toContain('could not find the file /no/such/file');
  });
});
