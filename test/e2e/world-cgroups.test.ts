import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IS_ROOT, ROOT, World } from './support/world.js';

// The leak check of the test worlds: a cgroup left below a world's own parent, in any hierarchy, is
// reported, and disposing of the world removes it and the parent.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('the cgroup leak check of a test world', () => {
  it('gives each world its own parent, passed to the CLI, and reports what is left below it until the world is disposed', () => {
    const world = new World();
    const other = new World();
    try {
      expect(world.env.TSCOMPOSE_CGROUP_PARENT).toBe(world.cgroups.name);
      expect(world.cgroups.name).toMatch(/^tscompose-e2e-[A-Za-z0-9]+$/);
      expect(other.cgroups.name).not.toBe(world.cgroups.name);
      expect(world.leaks()).toEqual({ mounts: [], processes: [] });
      const hierarchies = world.cgroups.parents;
      expect(hierarchies.length).toBeGreaterThan(0);
      // What a container would get: `<hierarchy>/<parent>/<id>`, here without any task in it.
      const left = hierarchies.map((p) => join(p, 'c0ffee'));
      for (const dir of left) mkdirSync(dir, { recursive: true });
      expect(world.leaks().cgroups?.sort()).toEqual(left.map((d) => `cgroup ${d}`).sort());
      expect(other.leaks()).toEqual({ mounts: [], processes: [] });
    } finally {
      world.dispose();
      other.dispose();
    }
    expect(world.cgroups.parents.filter((p) => existsSync(p))).toEqual([]);
    expect(world.cgroups.leftovers()).toEqual([]);
  });

  it('disposing of a world a test left running (no down) leaves nothing of it on the machine', async () => {
    const world = new World();
    const file = join(world.dir, 'compose.yaml');
    writeFileSync(file, 'name: abandoned\nservices:\n  app:\n    image: tscompose-test/busybox:latest\n    command: ["sleep", "600"]\n    ports: ["127.0.0.1::8080"]\n');
    await world.loadImages();
    const up = await world.cli(['-f', file, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const left = world.leaks();
    expect(left.cgroups?.length).toBeGreaterThan(0);
    expect(left.links?.length).toBeGreaterThan(0);
    expect(left.mounts.length).toBeGreaterThan(0);
    world.dispose();
    expect(world.leaks()).toEqual({ mounts: [], processes: [] });
    expect(world.cgroups.parents.filter((p) => existsSync(p))).toEqual([]);
    expect(existsSync(world.dir)).toBe(false);
  }, 120_000);

  it('refuses a cgroup parent that is not one directory name with USAGE, before creating anything', async () => {
    const world = new World();
    try {
      writeFileSync(join(world.dir, 'compose.yaml'), 'services:\n  app: { image: busybox, command: ["true"] }\n');
      for (const parent of ['../escape', 'a/b']) {
        const up = await world.cli(['up', '-d'], { env: { TSCOMPOSE_CGROUP_PARENT: parent } });
        expect(up.code).toBe(1);
        expect(up.stderr).toContain(`TSCOMPOSE_CGROUP_PARENT=${parent} is not a cgroup directory name [USAGE]`);
        expect(up.stderr).toContain('hint: use one directory name');
      }
      expect(world.containerDirs()).toEqual([]);
      expect(world.leaks()).toEqual({ mounts: [], processes: [] });
    } finally {
      world.dispose();
    }
  });
});
