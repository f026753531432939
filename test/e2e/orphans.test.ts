import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IS_ROOT, ROOT, World } from './support/world.js';

/** A compose file of project `orph` with these services, each a busybox that sleeps; `profile` puts a service in one. */
function stack(services: Array<string | { name: string; profile: string }>): string {
  const lines = ['name: orph', 'services:'];
  for (const s of services) {
    const name = typeof s === 'string' ? s : s.name;
    lines.push(`  ${name}:`, '    image: tscompose-test/busybox:latest', '    command: ["sleep", "600"]', '    stop_signal: SIGKILL');
    if (typeof s !== 'string') lines.push(`    profiles: [${s.profile}]`);
  }
  return `${lines.join('\n')}\n`;
}

// Orphans: containers of a service that is no longer in the compose file. up warns about them and
// leaves them; up --remove-orphans and down --remove-orphans remove them, and nothing else.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('orphan containers end to end', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const names = async (): Promise<string[]> => {
    const ps = await cli('ps', '-a', '--format', 'json');
    expect(ps.code, ps.stderr).toBe(0);
    return (JSON.parse(ps.stdout) as Array<{ Name: string }>).map((r) => r.Name).sort();
  };

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, stack(['a', 'b', 'd']));
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    writeFileSync(file, stack(['a']));
    await world.finish(() => cli('down', '-t', '0', '--remove-orphans'));
  }, 120_000);

  it('up warns about the container of a service removed from the file and leaves it running', async () => {
    writeFileSync(file, stack(['a', 'd', { name: 'c', profile: 'extra' }]));
    const extra = await cli('--profile', 'extra', 'up', '-d', 'c');
    expect(extra.code, extra.stderr).toBe(0);
    const up = await cli('up', '-d', 'a');
    expect(up.code, up.stderr).toBe(0);
    const warnings = up.stderr.split('\n').filter((l) => l.startsWith('WARN'));
    // Only b is an orphan: c is in a profile that is not active, d is not named on the command line.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('orph-b-1');
    expect(warnings[0]).toContain('--remove-orphans');
    expect(warnings[0]).not.toMatch(/orph-[cd]-1/);
    expect(await names()).toEqual(['orph-a-1', 'orph-b-1', 'orph-c-1', 'orph-d-1']);
  });

  it('up --remove-orphans removes the orphan only, not the services it was not asked to start', async () => {
    const up = await cli('up', '-d', '--remove-orphans', 'a');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('Container orph-b-1  Removed');
    expect(up.stderr).not.toContain('WARN');
    expect(await names()).toEqual(['orph-a-1', 'orph-c-1', 'orph-d-1']);
    const again = await cli('up', '-d');
    expect(again.stderr).not.toContain('WARN');
  });

  it('down leaves orphans running on their network and warns; down --remove-orphans removes them too', async () => {
    writeFileSync(file, stack(['a', { name: 'c', profile: 'extra' }]));
    const down = await cli('down', '-t', '0');
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toMatch(/^WARN.*orph-d-1.*--remove-orphans/m);
    expect(await names()).toEqual(['orph-d-1']);
    expect((await world.cli(['network', 'ls'])).stdout).toContain('orph_default');
    const ps = JSON.parse((await cli('ps', '--format', 'json')).stdout) as Array<{ Name: string; State: string }>;
    expect(ps.map((r) => [r.Name, r.State])).toEqual([['orph-d-1', 'running']]);
    const all = await cli('down', '-t', '0', '--remove-orphans');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('Container orph-d-1  Removed');
    expect(all.stderr).toContain('Network orph_default  Removed');
    expect(all.stderr).not.toContain('WARN');
    expect(await names()).toEqual([]);
    expect(world.containerDirs()).toEqual([]);
  });
});
