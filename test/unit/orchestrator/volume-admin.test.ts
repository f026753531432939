import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { createVolume, inspectVolume, pruneVolumes, removeVolumes, type VolumeAdminDeps } from '../../../src/orchestrator/volume-admin.js';
import { LocalVolumes } from '../../../src/volume/local-volumes.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const ANON = 'a'.repeat(64);

function deps(users: Record<string, string[]> = {}): VolumeAdminDeps & { volumes: LocalVolumes } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-voladmin-'));
  dirs.push(dir);
  const containers = Object.entries(users).map(([name, volumes]) => ({
    name, spec: { mounts: volumes.map((v) => ({ type: 'volume', name: v, source: `/v/${v}`, target: `/${v}` })) },
  })) as unknown as ContainerInfo[];
  return { runtime: { list: async () => containers } as unknown as Runtime, volumes: new LocalVolumes(dir, () => new Date('2026-01-01T00:00:00Z')) };
}

describe('volume administration', () => {
  it('creates local volumes with labels and options, and refuses other drivers and options', async () => {
    const d = deps();
    expect(await createVolume(d, 'v', { labels: { k: 'v' }, opts: { type: 'tmpfs', o: 'size=1m' } })).toMatchObject({ name: 'v', labels: { k: 'v' }, options: { type: 'tmpfs', o: 'size=1m' } });
    expect((await createVolume(d, undefined)).name).toMatch(/^[0-9a-f]{64}$/);
    await expect(createVolume(d, 'x', { driver: 'nfs' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(createVolume(d, 'x', { opts: { size: '1' } })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(await inspectVolume(d, 'v')).toEqual({
      CreatedAt: '2026-01-01T00:00:00.000Z', Driver: 'local', Labels: { k: 'v' }, Mountpoint: d.volumes.path('v'), Name: 'v',
      Options: { type: 'tmpfs', o: 'size=1m' }, Scope: 'local',
    });
    await expect(inspectVolume(d, 'nope')).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
  });

  it('refuses to remove a volume a container uses, naming it; -f skips missing ones', async () => {
    const d = deps({ 'p-db-1': ['p_data'] });
    await d.volumes.ensureVolume('p_data', {});
    await d.volumes.ensureVolume('free', {});
    const err = await removeVolumes(d, ['p_data']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'VOLUME_IN_USE', message: expect.stringContaining('p-db-1') });
    await expect(removeVolumes(d, ['missing'])).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND' });
    expect(await removeVolumes(d, ['missing', 'free'], { force: true })).toEqual(['free']);
    expect((await d.volumes.list()).map((v) => v.name)).toEqual(['p_data']);
  });

  it('prunes unused anonymous volumes, or every unused one with all, and counts the bytes', async () => {
    const d = deps({ 'p-db-1': ['p_data'] });
    await d.volumes.ensureVolume('p_data', {});
    await d.volumes.ensureVolume('named', { 'com.docker.compose.volume': 'named' });
    writeFileSync(join((await d.volumes.ensureVolume(ANON, { 'com.docker.compose.project': 'p' })).path, 'f'), '12345');
    expect(await pruneVolumes(d)).toEqual({ removed: [ANON], bytes: 5 });
    expect(await pruneVolumes(d, { all: true })).toEqual({ removed: ['named'], bytes: 0 });
    expect((await d.volumes.list()).map((v) => v.name)).toEqual(['p_data']);
  });
});
