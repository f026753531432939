import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from '../../../src/compose/model.js';
import { BridgeNetworks } from '../../../src/net/bridge-networks.js';
import { SandboxStore } from '../../../src/net/sandbox-store.js';
import { createWithNetwork } from '../../../src/orchestrator/container-network.js';
import type { OrchestratorDeps } from '../../../src/orchestrator/orchestrator-deps.js';
import { ensureProjectNetworks, removeProjectNetworks } from '../../../src/orchestrator/project-networks.js';
import type { ProgressEvent } from '../../../src/orchestrator/events.js';
import { FakeNetKernel } from '../net/fake-net-kernel.js';
import { RuntimeFixture } from '../runtime/runtime-fixture.js';

const project: Project = {
  name: 'p',
  services: {
    web: { image: 'x', hostname: 'webhost', extra_hosts: { gw: ['host-gateway'] }, dns_opt: ['ndots:1'], networks: { front: null, back: { priority: 2 } } },
    side: { image: 'x', network_mode: 'service:web' },
    host: { image: 'x', network_mode: 'host' },
    bad: { image: 'x', networks: { front: { ipv4_address: '1.2.3.4' } } },
  },
  networks: { front: { name: 'p_front' }, back: { name: 'p_back', internal: true } },
};

describe('creating containers with their networks', () => {
  let fx: RuntimeFixture;
  let net: FakeNetKernel;
  let deps: OrchestratorDeps;
  let events: ProgressEvent[];

  beforeEach(async () => {
    fx = await RuntimeFixture.create();
    net = new FakeNetKernel();
    events = [];
    const dataRoot = fx.paths.roots.dataRoot;
    const bridges = new BridgeNetworks({
      kernel: net, dataRoot, recordsDir: fx.paths.networks, netnsDir: fx.paths.netns, lockDir: fx.paths.locks, clock: fx.clock,
      machineLock: join(fx.paths.locks, 'machine.lock'),
    });
    const hostFiles = join(dataRoot, '..');
    deps = {
      runtime: fx.runtime, progress: (e: ProgressEvent) => void events.push(e),
      networks: { bridges, sandboxes: new SandboxStore(fx.paths.sandboxes, { hosts: join(hostFiles, 'nope-hosts'), resolvConf: join(hostFiles, 'nope-resolv') }) },
    } as unknown as OrchestratorDeps;
    mkdirSync(fx.paths.netns, { recursive: true });
  });
  afterEach(() => fx.cleanup());

  it('creates the networks first, reporting them, then joins the container to its namespace with its /etc files', async () => {
    await ensureProjectNetworks(project, ['web', 'side'], deps);
    expect(events.filter((e) => e.kind === 'action' && e.status === 'done').map((e) => e.kind === 'action' && e.resource)).toEqual(['network p_back', 'network p_front']);
    // serviceContainerSpec gives the service's hostname; without one it would be the short id.
    const info = await createWithNetwork(deps, project, 'web', fx.spec('p-web-1', ['sleep', '1'], { hostname: 'webhost' }));
    const bridges = deps.networks?.bridges as BridgeNetworks;
    expect(info.spec.network).toEqual({ path: bridges.netnsPath('p-web-1') });
    const files = info.spec.mounts?.map((m) => [m.target, m.type === 'bind' ? m.source : '']);
    const dir = join(fx.paths.sandboxes, 'p-web-1');
    expect(files).toEqual([['/etc/hosts', join(dir, 'hosts')], ['/etc/resolv.conf', join(dir, 'resolv.conf')], ['/etc/hostname', join(dir, 'hostname')]]);
    const backNet = await bridges.store.get('p_back');
    const back = backNet.endpoints['p-web-1'];
    expect(back?.ifname).toBe('eth0');
    expect((await bridges.store.get('p_front')).endpoints['p-web-1']?.ifname).toBe('eth1');
    expect(readFileSync(join(dir, 'hosts'), 'utf8')).toContain(`${backNet.gateway}\tgw\n${back?.ip}\twebhost\n`);
    expect(readFileSync(join(dir, 'resolv.conf'), 'utf8')).toBe(`nameserver ${(await bridges.store.get('p_back')).gateway}\noptions ndots:1\n`);
    expect(readFileSync(join(dir, 'hostname'), 'utf8')).toBe('webhost\n');

    const side = await createWithNetwork(deps, project, 'side', fx.spec('p-side-1', ['sleep', '1']));
    expect(side.spec.network).toEqual({ path: bridges.netnsPath('p-web-1') });
    expect(side.spec.mounts?.map((m) => m.type === 'bind' && m.source)).toEqual([join(dir, 'hosts'), join(dir, 'resolv.conf')]);
  });

  it('refuses network_mode service:x before x has a namespace, and a bad ipv4_address, leaving nothing behind', async () => {
    await ensureProjectNetworks(project, ['web', 'bad'], deps);
    await expect(createWithNetwork(deps, project, 'side', fx.spec('p-side-1', ['sleep', '1']))).rejects.toMatchObject({ code: 'CONTAINER_NOT_FOUND' });
    await expect(createWithNetwork(deps, project, 'bad', fx.spec('p-bad-1', ['sleep', '1']))).rejects.toMatchObject({ code: 'NETWORK_CONFLICT' });
    expect(await fx.runtime.list()).toEqual([]);
    expect(readdirSync(fx.paths.netns)).toEqual([]);
    expect(net.endpoints.size).toBe(0);
  });

  it('undoes the endpoints when the runtime refuses the container', async () => {
    await ensureProjectNetworks(project, ['web'], deps);
    await expect(createWithNetwork(deps, project, 'web', fx.spec('bad name', ['sleep', '1']))).rejects.toMatchObject({ code: 'CONTAINER_START' });
    expect(net.endpoints.size).toBe(0);
    expect(readdirSync(fx.paths.netns)).toEqual([]);
    expect(existsSync(fx.paths.sandboxes) ? readdirSync(fx.paths.sandboxes) : []).toEqual([]);
  });

  it('gives network_mode host copies of the host\'s files, and down removes the project\'s networks and leftovers', async () => {
    const host = await createWithNetwork(deps, project, 'host', fx.spec('p-host-1', ['sleep', '1']));
    expect(host.spec.network).toBe('host');
    expect(host.spec.mounts?.map((m) => m.target)).toEqual(['/etc/hosts', '/etc/resolv.conf']);
    await ensureProjectNetworks(project, ['web'], deps);
    await createWithNetwork(deps, project, 'web', fx.spec('p-web-1', ['sleep', '1']));
    // This runtime has no hook releasing networking, so its containers vanish as in a crash: down still finds what they left.
    await fx.runtime.remove('p-web-1');
    await fx.runtime.remove('p-host-1');
    await removeProjectNetworks(project, deps);
    expect(await (deps.networks?.bridges as BridgeNetworks).list()).toEqual([]);
    expect(net.bridges.size + net.endpoints.size).toBe(0);
    expect(readdirSync(fx.paths.netns)).toEqual([]);
    expect(existsSync(fx.paths.sandboxes) ? readdirSync(fx.paths.sandboxes) : []).toEqual([]);
  });
});
