import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

// Convergence as Compose has it: a second up changes nothing, a changed service is recreated
// alone (with the dependents that declare restart: true), --force-recreate recreates all.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('up converges', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (args: string[], env: Record<string, string> = {}): ReturnType<World['cli']> => world.cli(['-f', file, ...args], { env });

  /** Container id per service, from `ps`. */
  async function ids(): Promise<Record<string, string>> {
    const ps = await cli(['ps', '-a', '--format', 'json']);
    expect(ps.code, ps.stderr).toBe(0);
    const rows = JSON.parse(ps.stdout) as Array<{ Service: string; ID: string }>;
    return Object.fromEntries(rows.map((r) => [r.Service, r.ID]));
  }

  /** Actions recorded in the project's event log since `since` (an ISO time). */
  async function actionsSince(since: string): Promise<string[]> {
    const events = await cli(['events', '--json', '--since', since, '--until', '0s']);
    expect(events.code, events.stderr).toBe(0);
    return events.stdout.trim().split('\n').filter((l) => l !== '').map((l) => {
      const e = JSON.parse(l) as { action: string; service: string };
      return `${e.service} ${e.action}`;
    });
  }

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, `name: converge
services:
  db:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    environment: { LEVEL: "\${LEVEL:-1}" }
    init: true
  api:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    init: true
    depends_on:
      db: { condition: service_started, restart: true }
  web:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    init: true
    depends_on: [api]
`);
    const up = await cli(['up', '-d']);
    expect(up.code, up.stderr).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await cli(['down', '-t', '1']);
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it('a second up with nothing changed plans nothing and creates, starts and stops nothing', async () => {
    const before = await ids();
    const plan = await cli(['--dry-run', 'up', '-d']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('nothing to do: the project is up to date');
    const since = new Date().toISOString();
    const again = await cli(['up', '-d']);
    expect(again.code, again.stderr).toBe(0);
    expect(await ids()).toEqual(before);
    expect((await actionsSince(since)).filter((a) => /create|start|stop|destroy|kill|die/.test(a))).toEqual([]);
  });

  it('a changed environment recreates that service and the dependents that declare restart: true', async () => {
    const before = await ids();
    const plan = await cli(['--dry-run', 'up', '-d'], { LEVEL: '2' });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('recreate converge-db-1 (configuration changed)');
    expect(plan.stderr).not.toContain('converge-web-1');
    const since = new Date().toISOString();
    const up = await cli(['up', '-d'], { LEVEL: '2' });
    expect(up.code, up.stderr).toBe(0);
    const after = await ids();
    expect(after.db).not.toBe(before.db);
    expect(after.web).toBe(before.web);
    // api declares restart: true on db: it is started again with it; web, which does not, is left running.
    const actions = await actionsSince(since);
    expect(actions).toContain('db start');
    expect(actions).toContain('api start');
    expect(actions.filter((a) => a.startsWith('web '))).toEqual([]);
  });

  it('--force-recreate recreates every service', async () => {
    const before = await ids();
    const up = await cli(['up', '-d', '--force-recreate'], { LEVEL: '2' });
    expect(up.code, up.stderr).toBe(0);
    const after = await ids();
    for (const service of ['db', 'api', 'web']) expect(after[service], service).not.toBe(before[service]);
  });
});
