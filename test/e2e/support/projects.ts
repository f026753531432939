// What the supervisor-driven end-to-end tests (healthchecks, restart policies) share: compose projects
// written into the test's world and brought down at the end, the CLI's json views of them, a polling wait.
import { afterAll, beforeAll, expect } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { World } from './world.js';

/** Looks again every 100 ms until `check` returns a value, for at most `ms` (a wait, not a timing assertion). */
export async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  for (let waited = 0; ; waited += 100) {
    const value = await check();
    if (value !== undefined) return value;
    if (waited >= ms) throw new Error(`still waiting for ${what} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The compose projects of one describe block. Loads the test images before its tests; after them brings
 * every project down and checks that nothing is left: no supervisor, mount or process of the world.
 */
export class Projects {
  readonly #names: string[] = [];

  constructor(readonly world: World) {
    beforeAll(async () => {
      await world.loadImages();
    }, 120_000);
    afterAll(async () => {
      for (const name of this.#names) await world.cli([...this.args(name), 'down', '-t', '0']);
      const supervisors = world.supervisors();
      const leaks = world.leaks();
      world.dispose();
      expect(supervisors).toEqual([]);
      expect(leaks).toEqual({ mounts: [], processes: [] });
    }, 120_000);
  }

  /** Writes the compose file of project `name` and returns the CLI arguments that select it. */
  add(name: string, yaml: string): string[] {
    writeFileSync(join(this.world.dir, `${name}.yaml`), yaml);
    this.#names.push(name);
    return this.args(name);
  }

  /** The CLI arguments of a project added before. */
  args(name: string): string[] {
    return ['-f', join(this.world.dir, `${name}.yaml`), '-p', name];
  }

  /** Every event of the project so far (`events --json`), oldest first. */
  async events<T>(args: string[]): Promise<T[]> {
    const out = await this.world.cli([...args, 'events', '--json', '--since', '0', '--until', '0s']);
    return out.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
  }

  /** `ps -a --format json`: every container of the project. */
  async ps<T>(args: string[]): Promise<T[]> {
    return JSON.parse((await this.world.cli([...args, 'ps', '-a', '--format', 'json'])).stdout) as T[];
  }

  /** The pid the project's supervisor recorded. */
  supervisorPid(name: string): number {
    return (JSON.parse(readFileSync(join(this.world.dir, 'run', 'projects', name, 'supervisor.pid'), 'utf8')) as { pid: number }).pid;
  }
}
