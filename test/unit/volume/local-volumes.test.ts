import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalVolumes } from '../../../src/volume/local-volumes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function volumes(): { root: string; store: LocalVolumes } {
  const root = mkdtempSync(join(tmpdir(), 'tsc-vol-'));
  dirs.push(root);
  return { root, store: new LocalVolumes(root, () => new Date('2026-01-01T00:00:00Z')) };
}

describe('LocalVolumes', () => {
  it('creates a volume once, keeps its data, and lists it with its labels', async () => {
    const { store } = volumes();
    const path = await store.ensure('p_data', { 'com.docker.compose.project': 'p' });
    writeFileSync(join(path, 'kept'), 'x');
    expect(await store.ensure('p_data', { other: 'label' })).toBe(path);
    expect(existsSync(join(path, 'kept'))).toBe(true);
    expect(await store.list()).toEqual([{ name: 'p_data', labels: { 'com.docker.compose.project': 'p' }, createdAt: '2026-01-01T00:00:00.000Z' }]);
  });

  it('removes a volume and refuses names that could leave its root', async () => {
    const { root, store } = volumes();
    await store.ensure('v', {});
    await store.remove('v');
    expect(existsSync(join(root, 'v'))).toBe(false);
    await expect(store.ensure('../x', {})).rejects.toMatchObject({ code: 'COMPOSE_INVALID' });
  });
});
