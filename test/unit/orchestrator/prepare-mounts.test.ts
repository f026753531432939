import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Project } from '../../../src/compose/model.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { MountSpec } from '../../../src/runtime/container-spec.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { anonymousVolumesOf } from '../../../src/orchestrator/anonymous-volumes.js';
import type { ContainerFilesProvider, VolumeProvider } from '../../../src/orchestrator/orchestrator-deps.js';
import { prepareMounts, type MountContext } from '../../../src/orchestrator/prepare-mounts.js';
import type { ProgressEvent } from '../../../src/orchestrator/events.js';
import { serviceMountRequests, type MountRequest } from '../../../src/orchestrator/service-mounts.js';
import { LocalVolumes } from '../../../src/volume/local-volumes.js';
import { project } from '../../support/compose.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Real volumes in a temp dir; fills are recorded instead of copying from layers. */
class RecordingVolumes extends LocalVolumes implements VolumeProvider {
  readonly fills: { dest: string; path: string }[] = [];
  override async fill(dest: string, _layers: readonly string[], path: string): Promise<void> {
    this.fills.push({ dest, path });
  }
}

class FakeFiles implements ContainerFilesProvider {
  readonly written: { container: string; path: string; content: string; owner: unknown }[] = [];
  async write(container: string, path: string, content: Uint8Array | string, owner: { uid: number; gid: number; mode: number }): Promise<string> {
    this.written.push({ container, path, content: String(content), owner });
    return `/files/${container}/${path}`;
  }
  async release(): Promise<void> {}
}

function fakeRuntime(containers: Partial<ContainerInfo>[]): Runtime {
  const all = containers as ContainerInfo[];
  return {
    list: async (filter?: { labels?: Record<string, string> }) => all.filter((c) => Object.entries(filter?.labels ?? {}).every(([k, v]) => c.labels[k] === v)),
    inspect: async (ref: string) => {
      const found = all.find((c) => c.name === ref);
      if (found === undefined) throw new Error(`no such container ${ref}`);
      return found;
    },
  } as unknown as Runtime;
}

function world(p: Project, containers: Partial<ContainerInfo>[] = []): { ctx: MountContext; volumes: RecordingVolumes; files: FakeFiles; dir: string; shown: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-mounts-'));
  dirs.push(dir);
  const volumes = new RecordingVolumes(join(dir, 'volumes'), () => new Date(0));
  const files = new FakeFiles();
  let next = 0;
  const shown: string[] = [];
  const progress = (e: ProgressEvent): void => { if (e.kind === 'action') shown.push(`${e.resource} ${e.text}`); };
  const ctx: MountContext = {
    project: p, service: 'app', container: 'p-app-1', deps: { volumes, files, runtime: fakeRuntime(containers), progress }, layers: ['/layers/top'],
    newVolumeId: () => String(++next).repeat(64).slice(0, 64), variables: { TOKEN: 'from-env' },
  };
  return { ctx, volumes, files, dir, shown };
}

const requests = (p: Project, imageVolumes: string[] = []): MountRequest[] => serviceMountRequests(p, 'app', imageVolumes);

describe('prepareMounts', () => {
  it('makes named and anonymous volumes, fills new ones unless nocopy, and orders parents first', async () => {
    const p = project(`
services:
  app:
    image: x
    volumes: ["/var/lib/app/cache", "data:/var/lib/app", "raw:/raw:nocopy"]
volumes: {data: {}, raw: {}}
`);
    const { ctx, volumes, shown } = world(p);
    const mounts = await prepareMounts(ctx, requests(p, ['/logs']));
    expect(mounts.map((m) => [m.type, m.target, m.type === 'volume' ? m.name : ''])).toEqual([
      ['volume', '/raw', 'p_raw'],
      ['volume', '/logs', '2'.repeat(64)],
      ['volume', '/var/lib/app', 'p_data'],
      ['volume', '/var/lib/app/cache', '1'.repeat(64)],
    ]);
    expect(volumes.fills.map((f) => f.path).sort()).toEqual(['/logs', '/var/lib/app', '/var/lib/app/cache']);
    expect((await volumes.inspect('1'.repeat(64)))?.labels).toEqual({ 'com.docker.compose.project': 'p' });
    expect((await volumes.list()).map((v) => v.name)).toEqual(['1'.repeat(64), '2'.repeat(64), 'p_data', 'p_raw']);
    // Named volumes it made are shown as Compose shows them; anonymous ones are not.
    expect(shown.sort()).toEqual(['volume p_data Created', 'volume p_data Creating', 'volume p_raw Created', 'volume p_raw Creating']);
    shown.length = 0;
    await prepareMounts(ctx, requests(p, ['/logs']));
    expect(shown).toEqual([]);
  });

  it('reuses the anonymous volumes of the replaced container, by target', async () => {
    const p = project('services: {app: {image: x, volumes: ["/data", "/other"]}}');
    const { ctx, volumes } = world(p);
    const previous = await prepareMounts(ctx, requests(p));
    const reuse = anonymousVolumesOf({ spec: { mounts: previous } } as unknown as ContainerInfo);
    volumes.fills.length = 0;
    const again = await prepareMounts({ ...ctx, reuse }, requests(p));
    expect(again).toEqual(previous);
    expect(volumes.fills).toEqual([]);
    const renewed = await prepareMounts(ctx, requests(p));
    expect(renewed.map((m) => (m as { name: string }).name)).not.toContain((previous[0] as { name: string }).name);
  });

  it('refuses a missing external volume and a missing bind source that may not be created', async () => {
    const p = project('services: {app: {image: x, volumes: ["ext:/e"]}}\nvolumes: {ext: {external: true}}');
    await expect(prepareMounts(world(p).ctx, requests(p))).rejects.toMatchObject({ code: 'VOLUME_NOT_FOUND', message: 'external volume "ext" not found' });
    const { ctx, dir } = world(p);
    const missing = join(dir, 'missing');
    const bind = project(`services: {app: {image: x, volumes: [{type: bind, source: ${missing}, target: /m}]}}`);
    await expect(prepareMounts(ctx, requests(bind))).rejects.toMatchObject({ code: 'BIND_SOURCE_NOT_FOUND' });
    expect(existsSync(missing)).toBe(false);
    const short = project(`services: {app: {image: x, volumes: ["${missing}/deep:/m"]}}`);
    expect(await prepareMounts(ctx, requests(short))).toEqual([{ type: 'bind', source: `${missing}/deep`, target: '/m', readonly: false }]);
    expect(existsSync(join(missing, 'deep'))).toBe(true);
  });

  it('mounts a subpath of a volume that exists, and refuses one that does not', async () => {
    const p = project('services: {app: {image: x, volumes: [{type: volume, source: v, target: /s, volume: {subpath: sub/dir}}]}}\nvolumes: {v: {}}');
    const { ctx, volumes } = world(p);
    await expect(prepareMounts(ctx, requests(p))).rejects.toMatchObject({ code: 'BIND_SOURCE_NOT_FOUND' });
    mkdirSync(join(volumes.path('p_v'), 'sub/dir'), { recursive: true });
    expect(await prepareMounts(ctx, requests(p))).toEqual([{ type: 'volume', name: 'p_v', target: '/s', readonly: false, source: join(volumes.path('p_v'), 'sub/dir') }]);
    expect(volumes.fills).toEqual([]);
  });

  it('maps the local driver options: tmpfs with its o, a bind of a device; others are refused', async () => {
    const p = project(`
services: {app: {image: x, volumes: ["t:/t", "b:/b:ro"]}}
volumes:
  t: {driver_opts: {type: tmpfs, device: tmpfs, o: "size=1m,uid=1000"}}
  b: {driver_opts: {type: none, o: bind, device: /srv/b}}
`);
    const { ctx, volumes } = world(p);
    const mounts = await prepareMounts(ctx, requests(p));
    expect(mounts).toEqual([
      { type: 'volume', name: 'p_t', target: '/t', readonly: false, source: volumes.path('p_t'), tmpfs: { sizeBytes: 1024 * 1024, options: ['uid=1000'] } },
      { type: 'volume', name: 'p_b', target: '/b', readonly: true, source: '/srv/b' },
    ]);
    expect(volumes.fills.map((f) => f.dest)).toEqual(['/srv/b']);
    const nfs = project('services: {app: {image: x, volumes: ["n:/n"]}}\nvolumes: {n: {driver_opts: {type: nfs, o: addr=1.2.3.4, device: ":/x"}}}');
    await expect(prepareMounts(world(nfs).ctx, requests(nfs))).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });

  it('brings the binds and volumes of volumes_from, with its mode, leaving targets the service mounts itself', async () => {
    const theirs: MountSpec[] = [
      { type: 'volume', name: 'p_shared', source: '/v/shared', target: '/shared', readonly: false },
      { type: 'bind', source: '/host/conf', target: '/conf', readonly: true },
      { type: 'tmpfs', target: '/tmp' },
    ];
    const src = { name: 'p-src-1', labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 'src', 'com.docker.compose.container-number': '1' }, spec: { mounts: theirs } };
    const p = project('services: {src: {image: x}, app: {image: x, volumes: ["/h:/conf"], volumes_from: ["src:ro", "container:p-src-1:rw"]}}');
    const { ctx } = world(p, [src as unknown as Partial<ContainerInfo>]);
    const mounts = await prepareMounts(ctx, requests(p));
    expect(mounts).toEqual([
      { type: 'bind', source: '/h', target: '/conf', readonly: false },
      { type: 'volume', name: 'p_shared', source: '/v/shared', target: '/shared', readonly: true },
      { type: 'volume', name: 'p_shared', source: '/v/shared', target: '/shared', readonly: false },
    ]);
    const lonely = project('services: {src: {image: x}, app: {image: x, volumes_from: ["src"]}}');
    await expect(prepareMounts(world(lonely).ctx, requests(lonely))).rejects.toMatchObject({ code: 'SERVICE_NOT_RUNNING' });
  });

  it('writes secrets and configs for the container and binds them read-only', async () => {
    const p = project(`
services: {app: {image: x, secrets: [{source: token, uid: "7", mode: 0400}], configs: [conf]}}
secrets: {token: {environment: TOKEN}}
configs: {conf: {content: "a: 1"}}
`);
    const { ctx, files } = world(p);
    expect(await prepareMounts(ctx, requests(p))).toEqual([
      { type: 'bind', source: '/files/p-app-1/configs/1-conf', target: '/conf', readonly: true, recursive: false },
      { type: 'bind', source: '/files/p-app-1/secrets/0-token', target: '/run/secrets/token', readonly: true, recursive: false },
    ]);
    expect(files.written).toEqual([
      { container: 'p-app-1', path: 'secrets/0-token', content: 'from-env', owner: { uid: 7, gid: 0, mode: 0o400 } },
      { container: 'p-app-1', path: 'configs/1-conf', content: 'a: 1', owner: { uid: 0, gid: 0, mode: 0o444 } },
    ]);
    const unset = project('services: {app: {image: x, secrets: [s]}}\nsecrets: {s: {environment: NOT_SET}}');
    await expect(prepareMounts(world(unset).ctx, requests(unset))).rejects.toMatchObject({ code: 'FILE_SOURCE_NOT_FOUND' });
    const gone = project('services: {app: {image: x, secrets: [s]}}\nsecrets: {s: {file: /nonexistent/secret}}');
    await expect(prepareMounts(world(gone).ctx, requests(gone))).rejects.toMatchObject({ code: 'FILE_SOURCE_NOT_FOUND' });
  });
});
