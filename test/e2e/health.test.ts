import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { busyboxStack, gatedStack } from './support/busybox-stack.js';
import { Projects } from './support/projects.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

/** A process's state letter from /proc, or `gone`. */
function processState(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
  } catch {
    return 'gone';
  }
}

interface Event { time: string; action: string; service: string; id: string }
interface PsRow { Name: string; Service: string; State: string; Health: string; Status: string }

/** A dependency that sleeps forever under a healthcheck of `test`, checked every `interval` up to `retries` times. */
const checked = (test: string, interval: string, retries?: number): { healthcheck: string[] } => ({
  healthcheck: [`test: ${test}`, `interval: ${interval}`, ...(retries === undefined ? [] : [`retries: ${retries}`])],
});

// Healthchecks run by the project's supervisor, service_healthy, and up --wait, on real containers.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('healthchecks end to end', () => {
  const world = new World();
  const projects = new Projects(world);
  const events = (args: string[]): Promise<Event[]> => projects.events<Event>(args);
  const ps = (args: string[]): Promise<PsRow[]> => projects.ps<PsRow>(args);
  const services = (rows: PsRow[]): string[][] => rows.map((r) => [r.Service, r.State, r.Health]);

  // api becomes healthy about a second after it starts; web waits for that.
  const gated = gatedStack({ dependency: 'api', dependent: 'web' }, {
    command: '["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 600"]',
    ...checked('["CMD-SHELL", "test -f /tmp/ready && echo ready"]', '200ms', 50),
  });
  const dbAndApp = { dependency: 'db', dependent: 'app' };

  it('a service gated on service_healthy starts only after its dependency passed its first check', async () => {
    const args = projects.add('gated', gated);
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const log = await events(args);
    const at = (service: string, action: string): number => log.findIndex((e) => e.service === service && e.action === action);
    expect(at('api', 'start')).toBeGreaterThanOrEqual(0);
    expect(at('api', 'health_status: healthy')).toBeGreaterThan(at('api', 'start'));
    // As Compose does, web is created while api starts, and started only once api is healthy.
    expect(at('web', 'create')).toBeGreaterThan(at('api', 'start'));
    expect(at('web', 'start')).toBeGreaterThan(at('api', 'health_status: healthy'));
    const rows = await ps(args);
    expect(services(rows)).toEqual([['api', 'running', 'healthy'], ['web', 'running', '']]);
    expect(rows[0]?.Status).toMatch(/^Up .*\(healthy\)$/);
    // The health record keeps the last results with their output.
    const api = (await world.cli([...args, 'ps', '-q', 'api'])).stdout.trim();
    const record = JSON.parse(readFileSync(join(world.dir, 'data', 'containers', api, 'health.json'), 'utf8')) as { status: string; log: { exitCode: number; output: string }[] };
    expect(record.status).toBe('healthy');
    expect(record.log.at(-1)).toMatchObject({ exitCode: 0, output: 'ready\n' });
  }, 120_000);

  it('down ends the supervisor with the project', async () => {
    const args = projects.args('gated');
    const pid = projects.supervisorPid('gated');
    expect(world.supervisors().some((p) => p.startsWith(`${pid} `))).toBe(true);
    // A session of its own, and nothing inherited open but stdin, stdout and stderr (all else is O_CLOEXEC, its own).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    expect(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3])).toBe(pid);
    const inherited = readdirSync(`/proc/${pid}/fd`).map(Number).filter((fd) => fd > 2).filter((fd) => {
      const flags = fdFlags(pid, fd);
      return flags !== undefined && (flags & 0o2000000) === 0;
    });
    expect(inherited).toEqual([]);
    const down = await world.cli([...args, 'down', '-t', '0']);
    expect(down.code, down.stderr).toBe(0);
    expect(world.supervisors().filter((p) => p.includes('--project gated'))).toEqual([]);
    // Gone, or a zombie its new parent has not reaped yet: either way it runs no more.
    expect(processState(pid)).toMatch(/^(gone|Z)$/);
  }, 120_000);

  it('a dependency that never becomes healthy fails up, naming it; the dependent is created but never started', async () => {
    const args = projects.add('sick', gatedStack(dbAndApp, checked('["CMD", "sh", "-c", "echo not yet; exit 1"]', '100ms', 2)));
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain('dependency failed to start: container sick-db-1 is unhealthy');
    expect(up.stderr).toContain('[DEPENDENCY_FAILED]');
    expect(up.stderr).toContain('not yet');
    expect(services(await ps(args))).toEqual([['app', 'created', ''], ['db', 'running', 'unhealthy']]);
    expect((await events(args)).some((e) => e.service === 'app' && e.action === 'start')).toBe(false);
    expect((await events(args)).some((e) => e.service === 'db' && e.action === 'health_status: unhealthy')).toBe(true);
  }, 120_000);

  it('required: false lets the dependent start although its dependency is unhealthy', async () => {
    const args = projects.add('optional', gatedStack(dbAndApp, checked('["CMD", "false"]', '100ms', 1), true));
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    expect(services(await ps(args))).toEqual([['app', 'running', ''], ['db', 'running', 'unhealthy']]);
  }, 120_000);

  it('up --wait returns once every service is healthy; an unhealthy one or the timeout fails naming it', async () => {
    const ok = projects.add('waits', gated);
    const up = await world.cli([...ok, 'up', '--wait']);
    expect(up.code, up.stderr).toBe(0);
    expect((await ps(ok)).map((r) => r.Health)).toEqual(['healthy', '']);

    const sick = projects.add('waitsick', busyboxStack({ db: checked('["CMD", "false"]', '100ms', 2) }));
    const failed = await world.cli([...sick, 'up', '--wait']);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toContain('container waitsick-db-1 is unhealthy');
    expect(failed.stderr).toContain('[HEALTHCHECK_FAILED]');

    const slow = projects.add('waitslow', busyboxStack({ db: checked('["CMD", "true"]', '1h') }));
    const timedOut = await world.cli([...slow, 'up', '--wait', '--wait-timeout', '1']);
    expect(timedOut.code).not.toBe(0);
    expect(timedOut.stderr).toContain('not ready after 1000 ms: waitslow-db-1');
    expect(timedOut.stderr).toContain('[TIMEOUT]');
  }, 120_000);

  it('healthcheck disable: true turns the check off, so service_healthy on it fails at once naming the container', async () => {
    const args = projects.add('nocheck', gatedStack(dbAndApp, { healthcheck: ['disable: true'] }));
    const up = await world.cli([...args, 'up', '-d']);
    expect(up.code).not.toBe(0);
    expect(up.stderr).toContain('container nocheck-db-1 has no healthcheck configured');
  }, 120_000);
});

/** The open flags of a process's fd, or undefined when it closed meanwhile (the supervisor's own pipes come and go). */
function fdFlags(pid: number, fd: number): number | undefined {
  try {
    return parseInt(/^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? '0', 8);
  } catch {
    return undefined;
  }
}
