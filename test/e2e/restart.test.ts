import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxStack } from './support/busybox-stack.js';
import { Projects, until } from './support/projects.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

interface Event { action: string; service: string; attributes: Record<string, string> }
interface PsRow { ID: string; Service: string; State: string; ExitCode: number; RestartCount: number }

// Restart policies kept by the project's supervisor, on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('restart policies end to end', () => {
  const world = new World();
  const projects = new Projects(world);
  /** Straight from the container's record, so each look is cheap. */
  const record = (id: string): { status: string; restartCount: number; container?: { pid: number } } =>
    JSON.parse(readFileSync(join(world.dir, 'data', 'containers', id, 'state.json'), 'utf8')) as never;
  const ps = (args: string[]): Promise<PsRow[]> => projects.ps<PsRow>(args);
  const events = (args: string[]): Promise<Event[]> => projects.events<Event>(args);

  /** Brings up project `name`: one service `app` that sleeps under `restart: always`; returns its arguments and container id. */
  const upAlways = async (name: string): Promise<{ args: string[]; id: string }> => {
    const args = projects.add(name, busyboxStack({ app: { restart: 'always' } }));
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const [row] = await ps(args);
    return { args, id: row?.ID ?? '' };
  };

  it('restart: on-failure:3 restarts a crashing container three times, then leaves it exited', async () => {
    const args = projects.add('crashy', busyboxStack({ crash: { command: '["sh", "-c", "echo crashing; exit 3"]', restart: 'on-failure:3', killOnStop: false } }));
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
    const { args, id } = await upAlways('steady');
    // The CLI has exited: only the supervisor watches the container now.
    const first = record(id).container?.pid ?? 0;
    process.kill(first, 'SIGKILL');
    const second = await until('a second run', async () => {
      const r = record(id);
      return r.status === 'running' && r.restartCount === 1 && r.container !== undefined && r.container.pid !== first ? r.container.pid : undefined;
    });
    expect((await events(args)).filter((e) => e.action === 'die')).toMatchObject([{ attributes: { exitCode: '137', signal: 'SIGKILL' } }]);
    // The supervisor started it again in the world's cgroup parent, as up did the first time.
    expect(world.cgroups.cgroupsOf(second)).toEqual([`/${world.cgroups.name}/${id}`]);

    // Kill the supervisor itself: the container keeps running; ps only reads, the next up starts a new one, which adopts it.
    const supervisor = projects.supervisorPid('steady');
    process.kill(supervisor, 'SIGKILL');
    await until('the supervisor to end', async () => (world.supervisors().some((p) => p.startsWith(`${supervisor} `)) ? undefined : true));
    expect(record(id)).toMatchObject({ status: 'running', container: { pid: second } });
    expect((await ps(args))[0]?.State).toBe('running');
    expect(world.supervisors().filter((p) => p.includes('--project steady'))).toEqual([]);
    const again = await world.cli([...args, 'up', '-d']);
    expect(again.code, again.stderr).toBe(0);
    expect(record(id)).toMatchObject({ status: 'running', container: { pid: second } });
    const revived = projects.supervisorPid('steady');
    expect(revived).not.toBe(supervisor);
    process.kill(second, 'SIGKILL');
    const third = await until('a third run', async () => {
      const r = record(id);
      return r.status === 'running' && r.restartCount === 2 ? r.container?.pid : undefined;
    });
    expect(world.cgroups.cgroupsOf(third)).toEqual([`/${world.cgroups.name}/${id}`]);
  }, 120_000);

  it('a container the user stops through tscompose is not restarted', async () => {
    const { args, id } = await upAlways('stopped');
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
