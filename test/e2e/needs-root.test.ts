import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, IS_ROOT, ROOT, World } from './support/world.js';

const run = promisify(execFile);
const NOBODY = 65534;

/** Every command that needs the runtime, with arguments that would be valid for root. */
const RUNTIME_COMMANDS: readonly string[][] = [
  ['up', '-d'], ['down'], ['ps'], ['logs'], ['exec', '-T', 'web', 'true'], ['run', '--rm', 'web', 'true'], ['create'],
  ['start'], ['stop'], ['restart'], ['kill'], ['rm', '-f'], ['pause'], ['unpause'], ['top'], ['port', 'web', '80'],
  ['images'], ['ls'], ['wait', 'web'], ['stats', '--no-stream'], ['cp', 'web:/etc/hostname', '-'], ['events', '--json'],
  ['image', 'ls'], ['network', 'ls'], ['volume', 'ls'],
];

// A user who is not root gets NEEDS_ROOT at once from every command that runs containers, and
// `config` still works. The process keeps only the capability to read files (the checkout may sit
// under a directory only root can enter); it is uid 65534 for everything tscompose checks.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('without root', { timeout: 120_000 }, () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  // The project folder is the user's own: readable to them without any capability.
  chmodSync(world.dir, 0o755);
  writeFileSync(file, 'name: rootless\nservices:\n  web:\n    image: tscompose-test/busybox:latest\n    command: ["sleep", "60"]\n');

  const asNobody = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run('setpriv', [
        `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups',
        '--inh-caps=-all,+dac_read_search', '--ambient-caps=+dac_read_search', '--bounding-set=-all,+dac_read_search',
        process.execPath, CLI, '-f', file, ...args,
      ], { cwd: world.dir, env: world.env, timeout: 30_000 });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
    }
  };

  afterAll(() => world.dispose());

  it('every runtime command fails with NEEDS_ROOT and a hint, and creates nothing', async () => {
    for (const args of RUNTIME_COMMANDS) {
      const r = await asNobody(args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr, args.join(' ')).toContain('[NEEDS_ROOT]');
      expect(r.stderr, args.join(' ')).toContain('hint: run it with sudo');
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    // Nothing was made on the way: no state under either root.
    const made = ['data', 'run'].filter((d) => existsSync(join(world.dir, d)) && readdirSync(join(world.dir, d)).length > 0);
    expect(made).toEqual([]);
  });

  it('config works without root', async () => {
    const r = await asNobody(['config', '--services']);
    expect(r).toMatchObject({ code: 0, stdout: 'web\n' });
  });
});
