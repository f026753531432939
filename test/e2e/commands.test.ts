import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

// The container commands (create, start, stop, restart, kill, rm, pause, unpause, top, images, ls,
// wait, stats) on real containers, through bin/tscompose.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('container commands end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const psJson = async (...args: string[]): Promise<Array<{ Name: string; State: string; ExitCode: number; Service: string }>> => {
    const ps = await cli('ps', '--format', 'json', ...args);
    expect(ps.code, ps.stderr).toBe(0);
    return JSON.parse(ps.stdout) as Array<{ Name: string; State: string; ExitCode: number; Service: string }>;
  };
  const states = async (): Promise<string[][]> => (await psJson('-a')).map((r) => [r.Name, r.State]);

  beforeAll(async () => {
    // db ends at once on TERM (its shell waits on sleep in the background, so the trap runs right away).
    writeFileSync(file, [
      'name: cmds',
      'services:',
      '  db:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo db ready; trap \'echo db got TERM; exit 3\' TERM; sleep 1000 & wait $!"]',
      '  web:',
      '    image: tscompose-test/busybox:latest',
      '    command: ["sh", "-c", "echo web up; sleep 1000 & wait $!"]',
      '    stop_grace_period: 1s',
      '    depends_on: [db]',
      '  once:',
      '    image: tscompose-test/probe:latest',
      '    command: ["probe", "exit", "7"]',
      '    profiles: [jobs]',
      '',
    ].join('\n'));
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    await cli('--profile', 'jobs', 'down', '-t', '0');
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('create makes the containers without starting them; start starts them, dependencies first', async () => {
    const create = await cli('create');
    expect(create.code, create.stderr).toBe(0);
    expect(await states()).toEqual([['cmds-db-1', 'created'], ['cmds-web-1', 'created']]);
    const start = await cli('start');
    expect(start.code, start.stderr).toBe(0);
    const lines = start.stderr.split('\n');
    const dbStarted = lines.findIndex((l) => l.includes('Container cmds-db-1  Started'));
    const webStarting = lines.findIndex((l) => l.includes('Container cmds-web-1  Starting'));
    expect(dbStarted).toBeGreaterThanOrEqual(0);
    expect(webStarting).toBeGreaterThan(dbStarted);
    expect(await states()).toEqual([['cmds-db-1', 'running'], ['cmds-web-1', 'running']]);
  });

  it('start of a service that has no container fails with a hint', async () => {
    const start = await cli('--profile', 'jobs', 'start', 'once');
    expect(start.code).not.toBe(0);
    expect(start.stderr).toContain('[SERVICE_NOT_RUNNING]');
    expect(start.stderr).toContain('has no container to start');
  });

  it('top lists the processes of each running container from its cgroup', async () => {
    const top = await cli('top', 'web');
    expect(top.code, top.stderr).toBe(0);
    const [name, header, ...rows] = top.stdout.trim().split('\n');
    expect(name).toBe('cmds-web-1');
    expect(header).toMatch(/^UID +PID +PPID +C +STIME +TTY +TIME +CMD$/);
    const cmds = rows.map((r) => r.split(/ +/).slice(7).join(' '));
    expect(cmds).toContain('sh -c echo web up; sleep 1000 & wait $!');
    expect(cmds).toContain('sleep 1000');
    // Every pid printed is a live process on the host whose parent chain stays in the container.
    for (const row of rows) {
      const pid = row.split(/ +/)[1] as string;
      expect(existsSync(`/proc/${pid}`)).toBe(true);
    }
  });

  it('pause freezes the processes and unpause thaws them', async () => {
    const pause = await cli('pause', 'web');
    expect(pause.code, pause.stderr).toBe(0);
    expect(pause.stderr).toContain('Container cmds-web-1  Paused');
    const paused = await psJson('web');
    expect(paused.map((r) => r.State)).toEqual(['paused']);
    const sleeper = (await cli('top', 'web')).stdout.split('\n').find((l) => l.endsWith('sleep 1000'))?.split(/ +/)[1];
    expect(readFileSync(`/proc/${sleeper}/status`, 'utf8')).toMatch(/^State:\s+[SD]/m);
    const unpause = await cli('unpause', 'web');
    expect(unpause.code, unpause.stderr).toBe(0);
    expect((await psJson('web')).map((r) => r.State)).toEqual(['running']);
  });

  it('stop -t sends the stop signal and records how each container ended', async () => {
    const stop = await cli('stop', '-t', '5', 'db');
    expect(stop.code, stop.stderr).toBe(0);
    expect(stop.stderr).toContain('Container cmds-db-1  Stopped');
    const db = (await psJson('-a')).find((r) => r.Name === 'cmds-db-1');
    expect(db).toMatchObject({ State: 'exited', ExitCode: 3 });
    const logs = await cli('logs', 'db');
    expect(logs.stdout).toContain('db got TERM');
  });

  it('restart starts a stopped container and restarts a running one (a new process)', async () => {
    const before = (await cli('top', 'web')).stdout.split('\n').find((l) => l.endsWith('sleep 1000'))?.split(/ +/)[1];
    const restart = await cli('restart', '-t', '1');
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toContain('Container cmds-db-1  Restarting');
    expect(await states()).toEqual([['cmds-db-1', 'running'], ['cmds-web-1', 'running']]);
    const after = (await cli('top', 'web')).stdout.split('\n').find((l) => l.endsWith('sleep 1000'))?.split(/ +/)[1];
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
  });

  it('stats --no-stream reports memory, pids and CPU of each running container', async () => {
    const stats = await cli('stats', '--no-stream', '--format', 'json');
    expect(stats.code, stats.stderr).toBe(0);
    const rows = stats.stdout.trim().split('\n').map((l) => JSON.parse(l) as { Name: string; CPUPerc: string; MemUsage: string; MemPerc: string; PIDs: string });
    expect(rows.map((r) => r.Name).sort()).toEqual(['cmds-db-1', 'cmds-web-1']);
    for (const r of rows) {
      expect(r.CPUPerc).toMatch(/^\d+\.\d\d%$/);
      expect(r.MemUsage).toMatch(/^[\d.]+(B|KiB|MiB|GiB) \/ [\d.]+(B|KiB|MiB|GiB)$/);
      expect(Number(r.PIDs)).toBeGreaterThanOrEqual(2);
    }
    const table = await cli('stats', '--no-stream', 'web');
    expect(table.stdout.split('\n')[0]).toMatch(/^CONTAINER ID +NAME +CPU % +MEM USAGE \/ LIMIT +MEM % +PIDS$/);
  });

  it('images lists the image of each container; ls lists the project with its config file', async () => {
    const images = await cli('images');
    expect(images.code, images.stderr).toBe(0);
    expect(images.stdout.split('\n')[0]).toMatch(/^CONTAINER +REPOSITORY +TAG +IMAGE ID +SIZE$/);
    expect(images.stdout).toMatch(/^cmds-web-1 +tscompose-test\/busybox +latest +[0-9a-f]{12} +[\d.]+[kMG]?B$/m);
    const ids = await cli('images', '-q');
    expect(ids.stdout.trim().split('\n')).toHaveLength(1);
    const ls = await world.cli(['ls', '--format', 'json']);
    expect(ls.code, ls.stderr).toBe(0);
    expect(JSON.parse(ls.stdout)).toEqual([{ Name: 'cmds', Status: 'running(2)', ConfigFiles: file }]);
    expect((await world.cli(['ls', '-q'])).stdout).toBe('cmds\n');
  });

  it('kill -s sends the signal; wait returns the exit status of the first container to end', async () => {
    const waiting = cli('wait', 'db');
    const kill = await cli('kill', '-s', 'TERM', 'db');
    expect(kill.code, kill.stderr).toBe(0);
    expect(kill.stderr).toContain('Container cmds-db-1  Killed');
    const wait = await waiting;
    expect(wait.code).toBe(3);
    expect(wait.stdout).toBe('container "cmds-db-1" exited with status code 3\n');
    const bad = await cli('kill', '-s', 'NOPE');
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('invalid signal');
  });

  it('ls shows a project with only stopped containers with -a only', async () => {
    await cli('stop', '-t', '0');
    expect((await world.cli(['ls', '-q'])).stdout).toBe('');
    expect(JSON.parse((await world.cli(['ls', '-a', '--format', 'json'])).stdout)).toEqual([{ Name: 'cmds', Status: 'exited(2)', ConfigFiles: file }]);
  });

  it('rm without -f needs a terminal to ask on; rm -f removes the stopped containers', async () => {
    const ask = await cli('rm');
    expect(ask.code).not.toBe(0);
    expect(ask.stderr).toContain('Going to remove cmds-db-1, cmds-web-1');
    expect(ask.stderr).toContain('pass -f');
    expect(await states()).toHaveLength(2);
    const rm = await cli('rm', '-f');
    expect(rm.code, rm.stderr).toBe(0);
    expect(await states()).toEqual([]);
    expect(world.containerDirs()).toEqual([]);
    const again = await cli('rm', '-f');
    expect(again).toMatchObject({ code: 0, stderr: 'No stopped containers\n' });
  });

  it('rm -s stops running containers first; a service that does not exist is refused', async () => {
    expect((await cli('up', '-d')).code).toBe(0);
    const rm = await cli('rm', '-s', '-f', 'web');
    expect(rm.code, rm.stderr).toBe(0);
    expect(await states()).toEqual([['cmds-db-1', 'running']]);
    const none = await cli('stop', 'nope');
    expect(none.code).not.toBe(0);
    expect(none.stderr).toContain('no such service: nope');
  });

  it('events holds what the commands did to each container, as docker reports them', async () => {
    const r = await cli('events', '--json', '--since', '0', '--until', '0s');
    expect(r.code, r.stderr).toBe(0);
    const actions = r.stdout.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { action: string }).action);
    // create and start (create/start), pause/unpause, stop, restart, kill and rm, in the order the tests above did them.
    for (const action of ['create', 'start', 'pause', 'unpause', 'stop', 'restart', 'kill', 'destroy']) expect(actions, action).toContain(action);
    expect(actions.indexOf('pause')).toBeLessThan(actions.indexOf('unpause'));
    expect(actions.indexOf('create')).toBeLessThan(actions.indexOf('destroy'));
  });

  it('wait --down-project takes the project down when the first container ends', async () => {
    expect((await cli('--profile', 'jobs', 'up', '-d', 'once')).code).toBe(0);
    const wait = await cli('--profile', 'jobs', 'wait', '--down-project', 'once');
    expect(wait.code).toBe(7);
    expect(await states()).toEqual([]);
    expect(world.containerDirs()).toEqual([]);
  });
});
