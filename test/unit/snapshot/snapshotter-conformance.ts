import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Mount, Snapshotter } from '../../../src/snapshot/snapshotter.js';

/** What the suite needs of one implementation. */
export interface SnapshotterHarness {
  snapshotter: Snapshotter;
  /** Make `mounts` visible as a directory (really mounting them, if that is what they need). */
  view(mounts: Mount[]): Promise<{ dir: string; release(): Promise<void> }>;
}

/** Builds a harness whose state lives under `root` (a fresh temp directory). */
export type SnapshotterFactory = (root: string) => Promise<SnapshotterHarness>;

/** Write a layer directory holding `files` (path → content). */
async function makeLayer(root: string, name: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, 'layers', name);
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

async function tree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = `${prefix}${entry.name}`;
    if (entry.isDirectory()) Object.assign(out, await tree(join(dir, entry.name), `${rel}/`));
    else if (entry.isFile()) out[rel] = await readFile(join(dir, entry.name), 'utf8');
  }
  return out;
}

/**
 * The contract every Snapshotter keeps, checked through what a container would see: the union of
 * its layers, upper layers winning; its own writes, kept apart from the layers and from other
 * snapshots; idempotent prepare; listing and removal that never touch the layers.
 */
export function describeSnapshotter(name: string, factory: SnapshotterFactory): void {
  describe(`Snapshotter conformance: ${name}`, () => {
    let root: string;
    let harness: SnapshotterHarness;
    let views: { release(): Promise<void> }[];

    beforeEach(async () => {
      root = await mkdtemp(join(tmpdir(), 'tsc-snap-'));
      harness = await factory(root);
      views = [];
    });

    afterEach(async () => {
      for (const view of views.reverse()) await view.release();
      await rm(root, { recursive: true, force: true });
    });

    async function view(mounts: Mount[]): Promise<string> {
      const v = await harness.view(mounts);
      views.push(v);
      return v.dir;
    }

    it('shows the union of the layers, the upper one winning', async () => {
      const base = await makeLayer(root, 'base', { 'etc/conf': 'base\n', 'bin/tool': 'tool\n' });
      const top = await makeLayer(root, 'top', { 'etc/conf': 'top\n', 'app/main': 'main\n' });
      const dir = await view(await harness.snapshotter.prepare('c1', [base, top]));
      expect(await tree(dir)).toEqual({ 'app/main': 'main\n', 'bin/tool': 'tool\n', 'etc/conf': 'top\n' });
    });

    it('keeps writes in the snapshot, away from the layers and from other snapshots', async () => {
      const base = await makeLayer(root, 'base', { 'etc/conf': 'base\n' });
      const one = await view(await harness.snapshotter.prepare('one', [base]));
      const two = await view(await harness.snapshotter.prepare('two', [base]));
      await writeFile(join(one, 'etc/conf'), 'changed\n');
      await writeFile(join(one, 'new'), 'new\n');
      expect(await tree(one)).toEqual({ 'etc/conf': 'changed\n', new: 'new\n' });
      expect(await tree(two)).toEqual({ 'etc/conf': 'base\n' });
      expect(await tree(base)).toEqual({ 'etc/conf': 'base\n' });
    });

    it('prepares an existing key with the same layers idempotently, with other layers not at all', async () => {
      const base = await makeLayer(root, 'base', { a: 'a' });
      const other = await makeLayer(root, 'other', { b: 'b' });
      const first = await harness.snapshotter.prepare('c1', [base]);
      expect(await harness.snapshotter.prepare('c1', [base])).toEqual(first);
      expect(await harness.snapshotter.mounts('c1')).toEqual(first);
      await expect(harness.snapshotter.prepare('c1', [other])).rejects.toMatchObject({ code: 'CONTAINER_BAD_STATE' });
    });

    it('lists snapshots with their layers and removes only their own data', async () => {
      const base = await makeLayer(root, 'base', { a: 'a' });
      await harness.snapshotter.prepare('c1', [base]);
      await harness.snapshotter.prepare('c2', []);
      expect(await harness.snapshotter.list()).toEqual([{ key: 'c1', parents: [base] }, { key: 'c2', parents: [] }]);
      await harness.snapshotter.remove('c1');
      await harness.snapshotter.remove('never-made');
      expect(await harness.snapshotter.list()).toEqual([{ key: 'c2', parents: [] }]);
      expect(await tree(base)).toEqual({ a: 'a' });
      await expect(harness.snapshotter.mounts('c1')).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
    });

    it('gives an empty, writable filesystem over no layers', async () => {
      const dir = await view(await harness.snapshotter.prepare('empty', []));
      expect(await tree(dir)).toEqual({});
      await writeFile(join(dir, 'f'), 'x');
      expect(await tree(dir)).toEqual({ f: 'x' });
    });

    it('refuses keys that are not plain names and layers that do not exist', async () => {
      await expect(harness.snapshotter.prepare('../escape', [])).rejects.toMatchObject({ code: 'INTERNAL' });
      await expect(harness.snapshotter.prepare('', [])).rejects.toMatchObject({ code: 'INTERNAL' });
      await expect(harness.snapshotter.prepare('c1', [join(root, 'missing')])).rejects.toMatchObject({ code: 'STATE_CORRUPT' });
      expect(await harness.snapshotter.list()).toEqual([]);
    });
  });
}
