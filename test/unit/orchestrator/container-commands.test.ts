import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/compose/graph.js';
import { restartSet } from '../../../src/orchestrator/lifecycle.js';
import { summarizeProjects } from '../../../src/orchestrator/projects.js';
import { imagesToRemove, splitReference } from '../../../src/orchestrator/project-images.js';
import { statsRow } from '../../../src/orchestrator/stats-rows.js';
import { oneOffService, parseRunVolume } from '../../../src/orchestrator/run-one-off.js';
import { byLevels } from '../../../src/orchestrator/select.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import { attachedServices, prefixWidth } from '../../../src/cli/attached-up.js';
import { failure, project } from '../../support/compose.js';

function container(name: string, labels: Record<string, string>, extra: Partial<ContainerInfo> = {}): ContainerInfo {
  return {
    id: `${name}-id`, name, labels, image: { reference: 'busybox:latest', digest: 'sha256:aa' }, status: 'running', createdAt: '', oomKilled: false, restartCount: 0,
    spec: { name, labels, image: { reference: 'busybox:latest' }, rootfs: { path: '/r' }, process: { args: ['sh'] } }, paths: {} as ContainerInfo['paths'], stdin: 'none', tty: false,
    ...extra,
  };
}

const STACK = project(`
services:
  db: { image: busybox }
  cache: { image: busybox }
  web:
    image: busybox
    depends_on:
      db: { condition: service_started, restart: true }
      cache: { condition: service_started }
  worker:
    build: .
    depends_on:
      web: { condition: service_started, restart: true }
  quiet: { image: busybox, attach: false, scale: 3 }
`);

describe('restart: which services', () => {
  it('adds the services that declare restart: true on one being restarted, transitively, unless --no-deps', () => {
    const graph = buildGraph(STACK);
    expect(restartSet(STACK, graph, ['db'], false)).toEqual(['db', 'web', 'worker']);
    expect(restartSet(STACK, graph, ['cache'], false)).toEqual(['cache']);
    expect(restartSet(STACK, graph, ['db'], true)).toEqual(['db']);
  });

  it('orders containers by the start levels, orphans last', () => {
    const graph = buildGraph(STACK);
    const levels = byLevels([container('p-web-1', { 'com.docker.compose.service': 'web' }), container('p-old-1', { 'com.docker.compose.service': 'old' }), container('p-db-1', { 'com.docker.compose.service': 'db' })], graph.startLevels());
    expect(levels.map((l) => l.map((c) => c.name))).toEqual([['p-db-1'], ['p-web-1'], ['p-old-1']]);
  });
});

describe('ls, images and stats rows', () => {
  it('ls counts states per project, hides projects with nothing running unless --all, and shows the config files', () => {
    const labels = (p: string): Record<string, string> => ({ 'com.docker.compose.project': p, 'com.docker.compose.project.config_files': `/srv/${p}/compose.yaml` });
    const containers = [
      container('a-web-1', labels('a')), container('a-db-1', labels('a')), container('a-job-1', labels('a'), { status: 'exited' }),
      container('b-web-1', labels('b'), { status: 'exited' }), container('stray', {}),
    ];
    expect(summarizeProjects(containers, false)).toEqual([{ name: 'a', status: 'exited(1), running(2)', configFiles: '/srv/a/compose.yaml', running: 2 }]);
    expect(summarizeProjects(containers, true).map((p) => [p.name, p.status])).toEqual([['a', 'exited(1), running(2)'], ['b', 'exited(1)']]);
  });

  it('splits references as Docker does and picks the images down --rmi removes', () => {
    expect(splitReference('busybox')).toEqual({ repository: 'busybox', tag: 'latest' });
    expect(splitReference('localhost:5000/app:2')).toEqual({ repository: 'localhost:5000/app', tag: '2' });
    expect(splitReference('app@sha256:ab')).toEqual({ repository: 'app', tag: '<none>' });
    expect(imagesToRemove(STACK, [], 'local')).toEqual(['p-worker']);
    expect(imagesToRemove(STACK, [], 'all')).toEqual(['busybox', 'p-worker']);
  });

  it('stats: CPU over the interval, memory against the limit or the host', () => {
    const limited = container('p-web-1', {}, { spec: { ...container('x', {}).spec, resources: { memoryBytes: 1000 } } });
    const row = statsRow(limited, { stats: { cpuNanos: 0, memoryBytes: 0, pids: 1, oomKills: 0 }, atMs: 0 }, { stats: { cpuNanos: 500_000_000, memoryBytes: 250, pids: 3, oomKills: 0 }, atMs: 1000 }, 8000);
    expect(row).toMatchObject({ cpuPercent: 50, memoryBytes: 250, memoryLimitBytes: 1000, memoryPercent: 25, pids: 3 });
    const free = statsRow(container('p-db-1', {}), { stats: undefined, atMs: 0 }, { stats: { cpuNanos: 0, memoryBytes: 800, pids: 1, oomKills: 0 }, atMs: 0 }, 8000);
    expect(free).toMatchObject({ cpuPercent: 0, memoryLimitBytes: 8000, memoryPercent: 10 });
  });
});

describe('attached up and run', () => {
  it('attaches to the named services (or all), never to attach: false unless --attach names it, nor to --no-attach', () => {
    expect(attachedServices(STACK, { services: [] })).toEqual(['cache', 'db', 'web', 'worker']);
    expect(attachedServices(STACK, { services: ['web', 'quiet'] })).toEqual(['web']);
    expect(attachedServices(STACK, { services: [], noAttach: ['db'] })).toEqual(['cache', 'web', 'worker']);
    expect(attachedServices(STACK, { services: [], attach: ['quiet'] })).toEqual(['quiet']);
    expect(prefixWidth(STACK, ['web', 'quiet'])).toBe('quiet-3'.length);
    expect(prefixWidth(STACK, ['web'], { web: 12 })).toBe('web-12'.length);
  });

  it('lays run flags over the service: entrypoint drops the command, names the one-off, publishes nothing', () => {
    const service = oneOffService(STACK, { service: 'web', id: 'abc', entrypoint: ['sh', '-c'], env: { A: '1' }, user: '1000', workdir: '/tmp', labels: { x: 'y' }, workingDir: '/here', volumes: ['./d:/d:ro'] });
    expect(service).toMatchObject({ entrypoint: ['sh', '-c'], command: [], user: '1000', working_dir: '/tmp', container_name: 'p-web-run-abc', restart: 'no', ports: [] });
    expect(service.environment).toMatchObject({ A: '1' });
    expect(service.labels).toEqual({ x: 'y' });
    expect(service.volumes).toEqual([{ type: 'bind', source: '/here/d', target: '/d', read_only: true }]);
    expect(oneOffService(STACK, { service: 'web', id: 'abc', command: ['echo', 'hi'], name: 'tool', workingDir: '/' })).toMatchObject({ command: ['echo', 'hi'], container_name: 'tool' });
  });

  it('refuses a -v that is not SOURCE:TARGET or names a volume the project lacks', () => {
    expect(failure(() => parseRunVolume('/abs', STACK, '/')).code).toBe('UNSUPPORTED');
    expect(failure(() => parseRunVolume('a:relative', STACK, '/')).code).toBe('USAGE');
    expect(failure(() => parseRunVolume('data:/data', STACK, '/')).code).toBe('VOLUME_NOT_FOUND');
    expect(failure(() => parseRunVolume('./x:/y:rx', STACK, '/')).code).toBe('USAGE');
  });
});
