import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

interface Event { action: string; service: string; attributes: Record<string, string> }
interface PsRow { ID: string; Service: string; State: string; ExitCode: number; RestartCount: number }

/** Looks again every 100 ms until `check` returns a value, for at most `ms` (a wait, not a timing assertion). */
async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (let waited = 0; ; waited += 100) {
    const value = await check();
    if (value !== undefined) return value;
    if (waited >= ms) throw new Error(`still waiting for ${what} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Restart policies kept by the project's supervisor, on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('restart policies end to end', () => {
  const world = new World();
  const projects: string[] = [];
  const project = (name: string, yaml: string): string[] => {
    const file = join(world.dir, `${name}.yaml`);
    writeFileSync(file, yaml);
    projects.push(name);
    return ['-f', file, '-p', name];
  };
  /** Straight from the container's record, so each look is cheap. */
  const record = (id: string): { status: string; restartCount: number; container?: { pid: number } } =>
    JSON.parse(readFileSync(join(world.dir, 'data', 'containers', id, 'state.json'), 'utf8')) as never;
  const ps = async (args: string[]): Promise<PsRow[]> => JSON.parse((await world.cli([...args, 'ps', '-a', '--format', 'json'])).stdout) as PsRow[];
  const events = async (args: string[]): Promise<Event[]> =>
    (await world.cli([...args, 'events', '--json', '--since', '0', '--until', '0s'])).stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Event);

  beforeAll(async () => {
    await world.loadImages();
  }, 120_000);

  afterAll(async () => {
    for (const name of projects) await world.cli(['-f', join(world.dir, `${name}.yaml`), '-p', name, 'down', '-t', '0']);
    const supervisors = world.supervisors();
    const leaks = world.leaks();
    world.dispose();
    expect(supervisors).toEqual([]);
    expect(leaks).toEqual({ mounts: [], processes: [] });
  }, 120_000);

  it('restart: on-failure:3 restarts a crashing container three times, then leaves it exited', async () => {
    const args = project('crashy', `
services:
  crash:
    image: tscompose-test/busybox:latest
    command: ["sh", "-c", "echo crashing; exit 3"]
    restart: on-failure:3
`);
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    // ps observes the container (the record itself says `running` until someone records the exit).
    await until('three restarts and a last exit', async () => {
      const [now] = await ps(args);
      return now?.RestartCount === 3 && now.State === 'exited' ? now : undefined;
    });
    // The supervisor reports the fourth death and gives up: no fourth start follows.
    const log = await until('the fourth death in the event log', async () => {
      const all = (await events(args)).filter((e) => e.service === 'crash');
      return all.filter((e) => e.action === 'die').length === 4 ? all : undefined;
    });
    expect(log.filter((e) => e.action === 'die').every((e) => e.attributes.exitCode === '3')).toBe(true);
    expect(log.filter((e) => e.action === 'start').map((e) => e.attributes.restartCount)).toEqual([undefined, '1', '2', '3']);
    const logs = await world.cli([...args, 'logs', 'crash']);
    expect(logs.stdout.match(/crashing/g)).toHaveLength(4);
    expect(await ps(args)).toMatchObject([{ State: 'exited', ExitCode: 3, RestartCount: 3 }]);
  }, 120_000);

  it('restart: always brings a killed container back, also after its supervisor was killed and came back', async () => {
    const args = project('steady', `
services:
  app:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    restart: always
    stop_signal: SIGKILL
`);
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const [row] = await ps(args);
    const id = row?.ID ?? '';
    // The CLI has exited: only the supervisor watches the container now.
    const first = record(id).container?.pid ?? 0;
    process.kill(first, 'SIGKILL');
    const second = await until('a second run', async () => {
      const r = record(id);
      return r.status === 'running' && r.restartCount === 1 && r.container !== undefined && r.container.pid !== first ? r.container.pid : undefined;
    });
    expect((await events(args)).filter((e) => e.action === 'die')).toMatchObject([{ attributes: { exitCode: '137', signal: 'SIGKILL' } }]);

    // Kill the supervisor itself: the container keeps running; the next command starts a new one, which adopts it.
    const pidFile = join(world.dir, 'run', 'projects', 'steady', 'supervisor.pid');
    const supervisor = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    process.kill(supervisor, 'SIGKILL');
    await until('the supervisor to end', async () => (world.supervisors().some((p) => p.startsWith(`${supervisor} `)) ? undefined : true));
    expect(record(id)).toMatchObject({ status: 'running', container: { pid: second } });
    expect((await ps(args))[0]?.State).toBe('running');
    const revived = (JSON.parse(readFileSync(pidFile, 'utf8')) as { pid: number }).pid;
    expect(revived).not.toBe(supervisor);
    process.kill(second, 'SIGKILL');
    await until('a third run', async () => {
      const r = record(id);
      return r.status === 'running' && r.restartCount === 2 ? r : undefined;
    });
  }, 120_000);

  it('a container the user stops through tscompose is not restarted', async () => {
    const args = project('stopped', `
services:
  app:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    restart: always
    stop_signal: SIGKILL
`);
    expect((await world.cli([...args, 'up', '-d'])).code).toBe(0);
    const [row] = await ps(args);
    const id = row?.ID ?? '';
    // down stops it (the user's intent is recorded first) and removes it; nothing brings it back meanwhile.
    const down = await world.cli([...args, 'down', '-t', '0']);
    expect(down.code, down.stderr).toBe(0);
    expect(world.containerDirs()).not.toContain(id);
    const actions = (await events(args)).map((e) => e.action);
    expect(actions.filter((a) => a === 'start')).toHaveLength(1);
    // The supervisor's report of the death may land on either side of down's `stop`.
    expect(actions.filter((a) => a === 'stop' || a === 'destroy')).toEqual(['stop', 'destroy']);
  }, 120_000);
});
