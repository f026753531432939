import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

const BUSYBOX = 'tscompose-test/busybox:latest';
const LAYERS = 'tscompose-test/layers:latest';

// Volumes, binds, tmpfs, secrets and configs, driven through bin/tscompose on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('volumes end to end', () => {
  const world = new World();
  const projects: string[] = [];

  /** A project directory named `name` holding compose.yaml with `yaml`. */
  function project(name: string, yaml: string): string {
    const dir = join(world.dir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'compose.yaml'), yaml);
    projects.push(dir);
    return dir;
  }
  const cli = (dir: string, args: string[], env?: Record<string, string>): ReturnType<World['cli']> => world.cli(args, { cwd: dir, ...(env === undefined ? {} : { env }) });
  const volumeNames = async (projectName?: string): Promise<string[]> => {
    const filter = projectName === undefined ? [] : ['--filter', `label=com.docker.compose.project=${projectName}`];
    return (await world.cli(['volume', 'ls', '-q', ...filter])).stdout.split('\n').filter((l) => l !== '');
  };
  const inspect = async (name: string): Promise<{ Name: string; Labels: Record<string, string>; Mountpoint: string; Options: Record<string, string> }> =>
    (JSON.parse((await world.cli(['volume', 'inspect', name])).stdout) as Array<{ Name: string; Labels: Record<string, string>; Mountpoint: string; Options: Record<string, string> }>)[0]!;

  beforeAll(async () => {
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    for (const dir of projects) await cli(dir, ['down', '-v']);
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  }, 180_000);

  it('a named volume keeps its data across down and up, is removed by down -v, and a fresh one is filled from the image', async () => {
    const dir = project('named', `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "head -1 /etc/passwd; cat /etc/mark 2>/dev/null || echo no mark; echo kept > /etc/mark"]
    volumes: ["conf:/etc"]
volumes:
  conf:
    labels: {tier: test}
`);
    const first = await cli(dir, ['up']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/app-1 +\| root:x:0:0:root/);
    expect(first.stdout).toMatch(/app-1 +\| no mark/);
    const volume = await inspect('named_conf');
    expect(volume.Labels).toEqual({ tier: 'test', 'com.docker.compose.project': 'named', 'com.docker.compose.volume': 'conf' });
    expect(readFileSync(join(volume.Mountpoint, 'group'), 'utf8')).toContain('root:x:0:');

    expect((await cli(dir, ['down'])).code).toBe(0);
    const second = await cli(dir, ['up']);
    expect(second.stdout).toMatch(/app-1 +\| kept/);

    expect((await cli(dir, ['down', '-v'])).code).toBe(0);
    expect(await volumeNames()).not.toContain('named_conf');
    const third = await cli(dir, ['up']);
    expect(third.stdout).toMatch(/app-1 +\| root:x:0:0:root/);
    expect(third.stdout).toMatch(/app-1 +\| no mark/);
  }, 180_000);

  it('nocopy leaves a new volume empty; a missing external volume is refused until it is created', async () => {
    const dir = project('nocopy', `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "cat /etc/passwd >/dev/null 2>&1 && echo has passwd || echo no passwd; cat /ext/file 2>/dev/null || echo ext empty"]
    volumes: ["conf:/etc:nocopy", "ext:/ext"]
volumes:
  conf: {}
  ext:
    external: true
    name: outside-volume
`);
    const refused = await cli(dir, ['up']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('external volume "outside-volume" not found');
    expect(refused.stderr).toContain('[VOLUME_NOT_FOUND]');
    expect(refused.stderr).toContain('tscompose volume create outside-volume');
    expect(JSON.parse((await cli(dir, ['ps', '-a', '--format', 'json'])).stdout)).toEqual([]);

    expect((await world.cli(['volume', 'create', 'outside-volume'])).stdout).toBe('outside-volume\n');
    const up = await cli(dir, ['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/app-1 +\| no passwd/);
    expect(up.stdout).toMatch(/app-1 +\| ext empty/);
    expect((await cli(dir, ['down', '-v'])).code).toBe(0);
    expect(await volumeNames()).toContain('outside-volume');
    expect(await volumeNames()).not.toContain('nocopy_conf');
    expect((await world.cli(['volume', 'rm', 'outside-volume'])).code).toBe(0);
  }, 180_000);

  it('a :ro bind refuses writes, tmpfs sizes are enforced, secrets and configs appear where Compose puts them', async () => {
    const dir = project('files', `
services:
  app:
    image: ${BUSYBOX}
    command:
      - sh
      - -c
      - |
        touch /ro/new 2>/dev/null && echo ro writable || echo ro refused
        dd if=/dev/zero of=/small/f bs=1024 count=2048 2>/dev/null && echo small fits || echo small full
        dd if=/dev/zero of=/run/f bs=1024 count=2048 2>/dev/null && echo run fits || echo run full
        echo made > /created/x
        echo "secret=$$(cat /run/secrets/token) env=$$(cat /run/secrets/from-env)"
        echo "config=$$(cat /greeting) other=$$(cat /etc/app/other.conf)"
        stat -c '%n %a %u' /run/secrets/token /etc/app/other.conf
        echo x > /run/secrets/token 2>/dev/null && echo secret writable || echo secret refused
    volumes:
      - ./ro:/ro:ro
      - ./created:/created
      - type: tmpfs
        target: /small
        tmpfs: {size: 1m}
    tmpfs: ["/run:size=1m"]
    secrets: [token, from-env]
    configs:
      - greeting
      - source: other
        target: /etc/app/other.conf
        uid: "65534"
        mode: 0440
secrets:
  token: {file: ./token.txt}
  from-env: {environment: SECRET_VALUE}
configs:
  greeting: {content: hello from content}
  other: {file: ./other.conf}
`);
    mkdirSync(join(dir, 'ro'));
    writeFileSync(join(dir, 'token.txt'), 'tok-123');
    writeFileSync(join(dir, 'other.conf'), 'other-file');
    const up = await cli(dir, ['up'], { SECRET_VALUE: 'from-the-env' });
    expect(up.code, up.stderr).toBe(0);
    const lines = up.stdout.split('\n').map((l) => l.replace(/^app-1 +\| /, ''));
    expect(lines).toEqual(expect.arrayContaining([
      'ro refused', 'small full', 'run full', 'secret=tok-123 env=from-the-env', 'config=hello from content other=other-file',
      '/run/secrets/token 444 0', '/etc/app/other.conf 440 65534', 'secret refused',
    ]));
    expect(readdirSync(join(dir, 'ro'))).toEqual([]);
    expect(readFileSync(join(dir, 'created', 'x'), 'utf8')).toBe('made\n');
    expect(readFileSync(join(dir, 'token.txt'), 'utf8')).toBe('tok-123');
  }, 180_000);

  it('a long-syntax bind whose source is missing is refused unless create_host_path', async () => {
    const dir = project('binds', `
services:
  app:
    image: ${BUSYBOX}
    command: ["true"]
    volumes:
      - type: bind
        source: ./missing
        target: /m
`);
    const refused = await cli(dir, ['up']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bind source path does not exist: .*\/missing/);
    expect(refused.stderr).toContain('[BIND_SOURCE_NOT_FOUND]');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
    expect(JSON.parse((await cli(dir, ['ps', '-a', '--format', 'json'])).stdout)).toEqual([]);
  }, 180_000);

  it('anonymous volumes: from `- /path` and the image VOLUME, kept on recreate, renewed with -V, removed by down -v', async () => {
    const dir = project('anon', `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "cat /scratch/mark 2>/dev/null || echo fresh; echo again > /scratch/mark"]
    volumes: ["/scratch"]
  layered:
    image: ${LAYERS}
    command: ["/not-run"]
`);
    const first = await cli(dir, ['up', 'app']);
    expect(first.stdout).toMatch(/app-1 +\| fresh/);
    const [name] = await volumeNames('anon');
    expect(name).toMatch(/^[0-9a-f]{64}$/);
    expect((await inspect(name!)).Labels).toEqual({ 'com.docker.compose.project': 'anon' });

    const recreated = await cli(dir, ['up', '--force-recreate', 'app']);
    expect(recreated.stdout).toMatch(/app-1 +\| again/);
    expect(await volumeNames('anon')).toEqual([name]);
    const renewed = await cli(dir, ['up', '--force-recreate', '-V', 'app']);
    expect(renewed.stdout).toMatch(/app-1 +\| fresh/);

    // The layers image declares VOLUME /data: its merged content (whiteouts applied) fills a new volume.
    expect((await cli(dir, ['up', '--no-start', 'layered'])).code).toBe(0);
    const volumes = await Promise.all((await volumeNames('anon')).map(inspect));
    const data = volumes.find((v) => existsSync(join(v.Mountpoint, 'keep.txt')));
    expect(readdirSync(data!.Mountpoint).sort()).toEqual(['keep-hard.txt', 'keep.txt', 'new.txt']);
    expect(statSync(join(data!.Mountpoint, 'keep.txt')).nlink).toBe(2);

    expect((await cli(dir, ['down', '-v'])).code).toBe(0);
    // Compose leaves the volume a -V recreate replaced; down -v removes those its containers mounted.
    expect(await volumeNames('anon')).toEqual([name]);
    expect((await world.cli(['volume', 'prune'])).stdout).toContain(name!);
    expect(await volumeNames('anon')).toEqual([]);
  }, 180_000);

  it('rm -v removes the anonymous volumes of the containers it removes, and keeps named ones', async () => {
    const dir = project('rmv', `
services:
  app:
    image: ${BUSYBOX}
    command: ["true"]
    volumes: ["/scratch", "kept:/kept"]
volumes:
  kept: {}
`);
    expect((await cli(dir, ['up'])).code).toBe(0);
    expect(await volumeNames('rmv')).toHaveLength(2);
    const rm = await cli(dir, ['rm', '-f', '-v']);
    expect(rm.code, rm.stderr).toBe(0);
    expect(await volumeNames('rmv')).toEqual(['rmv_kept']);
  }, 180_000);

  it('volumes_from shares a service\'s volumes, read-only with :ro', async () => {
    const dir = project('from', `
services:
  source:
    image: ${BUSYBOX}
    command: ["sh", "-c", "echo from-source > /shared/file"]
    volumes: ["shared:/shared"]
  reader:
    image: ${BUSYBOX}
    command: ["sh", "-c", "i=0; while [ ! -f /shared/file ] && [ $$i -lt 100 ]; do i=$$((i+1)); sleep 0.1; done; cat /shared/file; touch /shared/other 2>/dev/null && echo writable || echo refused"]
    volumes_from: ["source:ro"]
volumes:
  shared: {}
`);
    const up = await cli(dir, ['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/reader-1 +\| from-source/);
    expect(up.stdout).toMatch(/reader-1 +\| refused/);
  }, 180_000);

  it('driver_opts: a tmpfs volume has its size, a bind volume writes to its device', async () => {
    const dir = project('driven', `
services:
  app:
    image: ${BUSYBOX}
    command: ["sh", "-c", "dd if=/dev/zero of=/t/f bs=1024 count=2048 2>/dev/null && echo tmpfs fits || echo tmpfs full; grep ' /t ' /proc/mounts | cut -d' ' -f3; echo through > /b/file"]
    volumes: ["t:/t", "b:/b"]
volumes:
  t:
    driver_opts: {type: tmpfs, device: tmpfs, o: "size=1m,uid=1000"}
  b:
    driver_opts: {type: none, o: bind, device: ${join(world.dir, 'driven', 'device')}}
`);
    mkdirSync(join(dir, 'device'));
    const up = await cli(dir, ['up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toMatch(/app-1 +\| tmpfs full/);
    expect(up.stdout).toMatch(/app-1 +\| tmpfs$/m);
    expect(readFileSync(join(dir, 'device', 'file'), 'utf8')).toBe('through\n');
    expect((await inspect('driven_t')).Options).toEqual({ type: 'tmpfs', device: 'tmpfs', o: 'size=1m,uid=1000' });
  }, 180_000);

  it('volume ls, inspect, rm (refused while a container uses it), prune', async () => {
    const dir = project('cli', `
services:
  app:
    image: ${BUSYBOX}
    command: ["true"]
    volumes: ["data:/data"]
volumes:
  data: {}
`);
    expect((await world.cli(['volume', 'create', '--label', 'k=v', 'loose'])).code).toBe(0);
    expect((await cli(dir, ['up', '--no-start'])).code).toBe(0);
    const ls = await world.cli(['volume', 'ls']);
    expect(ls.stdout.split('\n')[0]).toMatch(/^DRIVER +VOLUME NAME$/);
    expect(ls.stdout).toMatch(/^local +cli_data$/m);
    expect(ls.stdout).toMatch(/^local +loose$/m);
    expect((await world.cli(['volume', 'ls', '-q', '--filter', 'label=k=v'])).stdout).toBe('loose\n');

    const inUse = await world.cli(['volume', 'rm', 'cli_data']);
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toContain('cli-app-1');
    expect(inUse.stderr).toContain('[VOLUME_IN_USE]');
    const missing = await world.cli(['volume', 'inspect', 'nope']);
    expect(missing.stderr).toContain('[VOLUME_NOT_FOUND]');

    const pruned = await world.cli(['volume', 'prune', '--all']);
    expect(pruned.stdout).toContain('loose');
    expect(pruned.stdout).not.toContain('cli_data');
    expect(await volumeNames()).toContain('cli_data');
    expect(await volumeNames()).not.toContain('loose');
    expect((await cli(dir, ['down'])).code).toBe(0);
    expect((await world.cli(['volume', 'rm', 'cli_data'])).stdout).toBe('cli_data\n');
  }, 180_000);
});
