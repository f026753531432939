import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../src/api/engine.js';
import { loadProject } from '../../src/compose/loader.js';
import { down } from '../../src/orchestrator/down.js';
import { up } from '../../src/orchestrator/up.js';
import { IS_ROOT, ROOT, World } from './support/world.js';

const CYCLES = Number(process.env.TSCOMPOSE_NET_CYCLES ?? 100);

const COMPOSE = `name: cycles
x-service: &service
  image: tscompose-test/busybox:latest
  command: ["sleep", "600"]
  stop_signal: SIGKILL
services:
  s1: { <<: *service, networks: [n1] }
  s2: { <<: *service, networks: [n1, n2] }
  s3: { <<: *service, networks: [n2] }
  s4: { <<: *service, networks: { n2: {}, n3: { priority: 5 } } }
  s5: { <<: *service, networks: [n3] }
  s6: { <<: *service, networks: [n1, n2, n3] }
networks:
  n1: {}
  n2: { ipam: { config: [{ subnet: 10.123.0.0/24 }] } }
  n3: { internal: true }
`;

interface IpLink { ifname: string; ifalias?: string; addr_info?: { local: string; prefixlen: number }[] }
interface IpRoute { dst: string; dev?: string; table?: string; type?: string }

const ip = <T>(...args: string[]): T => JSON.parse(execFileSync('ip', ['-j', ...args], { encoding: 'utf8' }) || '[]') as T;

/**
 * The host as networks see it: interfaces, addresses, routes, named namespaces and mounts. Other
 * engineers' test worlds run on this machine at the same time, so what belongs to them is left out:
 * links whose alias names another tscompose root (with their addresses and routes), and mounts
 * under the temp dir outside this world.
 */
function hostSnapshot(world: World): Record<string, string[]> {
  const ours = `tscompose root=${join(world.dir, 'data')} `;
  const links = ip<IpLink[]>('-d', 'addr', 'show').filter((l) => !(l.ifalias?.startsWith('tscompose root=') === true && !l.ifalias.startsWith(ours)));
  const names = new Set(links.map((l) => l.ifname));
  const tmp = `${tmpdir()}/`;
  return {
    interfaces: links.map((l) => l.ifname).sort(),
    addresses: links.flatMap((l) => (l.addr_info ?? []).map((a) => `${l.ifname} ${a.local}/${a.prefixlen}`)).sort(),
    routes: [...ip<IpRoute[]>('route', 'show', 'table', 'all'), ...ip<IpRoute[]>('-6', 'route', 'show', 'table', 'all')]
      .filter((r) => r.dev === undefined || names.has(r.dev)).map((r) => `${r.table ?? 'main'} ${r.type ?? ''} ${r.dst} ${r.dev ?? ''}`).sort(),
    namespaces: existsSync('/run/netns') ? readdirSync('/run/netns').sort() : [],
    mounts: readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m !== '' && (!m.startsWith(tmp) || m.startsWith(world.dir))).sort(),
  };
}

// Acceptance: 100 up/down cycles of a 3-network, 6-service stack leave the host exactly as it was.
// Driven through the TypeScript API in one process: through the CLI a cycle costs about 7 s here.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('network up/down cycles', () => {
  const world = new World();
  let engine: Engine;

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(join(world.dir, 'compose.yaml'), COMPOSE);
    // The engine (and the supervisor it starts) reads this from the environment, as the CLI does.
    process.env.TSCOMPOSE_DNS_UPSTREAM = 'none';
    process.env.TSCOMPOSE_NAT = 'off';
    // The engine and the supervisor it spawns put containers under this world's own cgroup parent, which its leak check covers.
    process.env.TSCOMPOSE_CGROUP_PARENT = world.cgroups.name;
    engine = createEngine({ dataRoot: join(world.dir, 'data'), runtimeRoot: join(world.dir, 'run') }, () => undefined);
  }, 120_000);

  afterAll(() => {
    const leaks = world.leaks();
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  it(`${CYCLES} up/down cycles leave interfaces, routes, addresses, namespaces and mounts as they were`, async () => {
    const { project, graph } = loadProject({ workingDir: world.dir, osEnv: { TSCOMPOSE_DNS_UPSTREAM: 'none' } });
    const before = hostSnapshot(world);
    const started = performance.now();
    let running = 0;
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      try {
        const result = await up(project, graph, engine);
        running = Math.max(running, result.containers.filter((c) => c.status === 'running').length);
      } finally {
        await down(project, graph.stopLevels(), engine);
      }
      expect(world.networkLinks(), `after cycle ${cycle + 1}`).toEqual([]);
    }
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`network cycles: ${CYCLES} up/down cycles of 6 services on 3 networks in ${seconds.toFixed(1)} s (${(seconds / CYCLES).toFixed(2)} s each)\n`);
    expect(running).toBe(6);
    expect(await engine.runtime.list()).toEqual([]);
    expect(await engine.networks.bridges.list()).toEqual([]);
    expect(hostSnapshot(world)).toEqual(before);
  }, 1_800_000);
});
