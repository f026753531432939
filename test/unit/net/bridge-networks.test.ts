import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BridgeNetworks } from '../../../src/net/bridge-networks.js';
import { bridgeName, linkAlias } from '../../../src/net/network-names.js';
import { FakeNetKernel } from './fake-net-kernel.js';
import { expectTscRejection } from './expect-error.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function world(kernel = new FakeNetKernel([{ dst: 'default', dev: 'eth0' }, { dst: '172.28.0.0/24', dev: 'docker0' }], [{ ifname: 'eth0', cidr: '172.28.1.5/24' }])): { nets: BridgeNetworks; kernel: FakeNetKernel; dir: string; reopen: () => BridgeNetworks } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-net-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'netns'));
  let tick = 0;
  const make = (): BridgeNetworks => new BridgeNetworks({
    kernel, dataRoot: join(dir, 'data'), recordsDir: join(dir, 'data', 'networks'), netnsDir: join(dir, 'netns'), lockDir: join(dir, 'locks'),
    clock: { now: () => Date.UTC(2026, 0, 1) + tick++, monotonic: () => 0 }, machineLock: join(dir, 'machine.lock'),
  });
  return { nets: make(), kernel, dir, reopen: make };
}

describe('BridgeNetworks', () => {
  it('creates a bridge with a subnet no host route or address uses, labelled and recorded', async () => {
    const { nets, kernel, dir } = world();
    const { record, created } = await nets.ensure({ name: 'p_default', labels: { 'com.docker.compose.project': 'p' } });
    expect(created).toBe(true);
    expect(record.subnet).toBe('172.28.2.0/24');
    expect(record.gateway).toBe('172.28.2.1');
    expect(record.bridge).toBe(bridgeName(join(dir, 'data'), 'p_default'));
    expect(record.bridge.length).toBeLessThanOrEqual(15);
    expect(kernel.bridges.get(record.bridge)).toMatchObject({ address: '172.28.2.1/24', alias: linkAlias(join(dir, 'data'), { network: 'p_default' }) });
    expect(record.labels).toEqual({ 'com.docker.compose.project': 'p' });
    const again = await nets.ensure({ name: 'p_default' });
    expect(again).toEqual({ record, created: false });
    const second = await nets.ensure({ name: 'p_back', internal: true });
    expect(second.record.subnet).toBe('172.28.3.0/24');
  });

  it('names bridges differently for different data roots and networks', () => {
    const names = new Set([bridgeName('/a', 'p_default'), bridgeName('/b', 'p_default'), bridgeName('/a', 'p_front')]);
    expect(names.size).toBe(3);
  });

  it('uses ipam subnet, gateway and ip_range, and refuses one that overlaps the host', async () => {
    const { nets } = world();
    const { record } = await nets.ensure({ name: 'p_fixed', ipam: { subnet: '10.44.0.0/16', gateway: '10.44.0.254', ipRange: '10.44.5.0/24' } });
    expect(record).toMatchObject({ subnet: '10.44.0.0/16', gateway: '10.44.0.254', ipRange: '10.44.5.0/24' });
    const attached = await nets.attach({ container: 'p-a-1', endpoints: [{ network: 'p_fixed' }] });
    expect(attached.endpoints[0]?.ip).toBe('10.44.5.0');
    await expectTscRejection(nets.ensure({ name: 'p_clash', ipam: { subnet: '172.28.1.0/24' } }), 'NETWORK_CONFLICT', /overlaps 172\.28\.1\.0\/24/);
    await expectTscRejection(nets.ensure({ name: 'p_bad', ipam: { subnet: '10.50.0.1/16' } }), 'NETWORK_CONFLICT', /subnet/);
    await expectTscRejection(nets.ensure({ name: 'p_gw', ipam: { subnet: '10.51.0.0/16', gateway: '10.52.0.1' } }), 'NETWORK_CONFLICT', /gateway/);
    expect((await nets.list()).map((r) => r.name)).toEqual(['p_fixed']);
  });

  it('refuses drivers and options a Linux bridge does not have, and uses the ones it has', async () => {
    const { nets, kernel } = world();
    await expectTscRejection(nets.ensure({ name: 'o', driver: 'overlay' }), 'UNSUPPORTED', /overlay/);
    await expectTscRejection(nets.ensure({ name: 'i', driverOpts: { 'com.docker.network.bridge.enable_icc': 'false' } }), 'UNSUPPORTED', /enable_icc/);
    await expectTscRejection(nets.ensure({ name: 'm', driverOpts: { 'com.docker.network.driver.mtu': 'big' } }), 'NETWORK_CONFLICT', /MTU/);
    const { record } = await nets.ensure({ name: 'named', driverOpts: { 'com.docker.network.bridge.name': 'br-mine', 'com.docker.network.driver.mtu': '1400' } });
    expect(record).toMatchObject({ bridge: 'br-mine', mtu: 1400 });
    expect(kernel.bridges.get('br-mine')?.mtu).toBe(1400);
  });

  it('refuses a bridge name the host already has for something else', async () => {
    const { nets } = world(new FakeNetKernel([], [], [{ name: 'eth9' }]));
    await expectTscRejection(nets.ensure({ name: 'n', driverOpts: { 'com.docker.network.bridge.name': 'eth9' } }), 'NETWORK_CONFLICT', /eth9/);
  });

  it('attaches a container: namespace, one veth per network in order, default route via the first non-internal network', async () => {
    const { nets, kernel, dir } = world();
    await nets.ensure({ name: 'p_back', internal: true });
    await nets.ensure({ name: 'p_front' });
    const a = await nets.attach({ container: 'p-a-1', endpoints: [{ network: 'p_back', aliases: ['db'] }, { network: 'p_front', macAddress: '02:42:AA:BB:CC:DD' }] });
    expect(a.netns).toBe(join(dir, 'netns', 'p-a-1'));
    expect(existsSync(a.netns)).toBe(true);
    expect(a.endpoints.map((e) => [e.network, e.ifname, e.ip, e.mac])).toEqual([
      ['p_back', 'eth0', '172.28.2.2', '02:42:ac:1c:02:02'],
      ['p_front', 'eth1', '172.28.3.2', '02:42:aa:bb:cc:dd'],
    ]);
    expect(kernel.netns.get(a.netns)).toEqual({ defaultGateway: '172.28.3.1' });
    const b = await nets.attach({ container: 'p-b-1', endpoints: [{ network: 'p_back' }] });
    expect(b.endpoints[0]?.ip).toBe('172.28.2.3');
    expect(kernel.netns.get(b.netns)).toEqual({});
  });

  it('keeps allocations on disk: a new instance sees them, and a removed container frees its address', async () => {
    const { nets, reopen } = world();
    await nets.ensure({ name: 'n' });
    await nets.attach({ container: 'c1', endpoints: [{ network: 'n' }] });
    await nets.attach({ container: 'c2', endpoints: [{ network: 'n' }] });
    const later = reopen();
    expect(Object.values((await later.store.get('n')).endpoints).map((e) => e.ip).sort()).toEqual(['172.28.2.2', '172.28.2.3']);
    await later.detach('c1');
    const c3 = await later.attach({ container: 'c3', endpoints: [{ network: 'n' }] });
    expect(c3.endpoints[0]?.ip).toBe('172.28.2.2');
  });

  it('refuses an ipv4_address another container has, leaving nothing half made', async () => {
    const { nets, kernel, dir } = world();
    await nets.ensure({ name: 'n', ipam: { subnet: '10.7.0.0/24' } });
    await nets.attach({ container: 'c1', endpoints: [{ network: 'n', ipv4Address: '10.7.0.9' }] });
    await expectTscRejection(nets.attach({ container: 'c2', endpoints: [{ network: 'n', ipv4Address: '10.7.0.9' }] }), 'NETWORK_CONFLICT', /c1/);
    expect(Object.keys((await nets.store.get('n')).endpoints)).toEqual(['c1']);
    expect(readdirSync(join(dir, 'netns'))).toEqual(['c1']);
    expect(kernel.endpoints.size).toBe(1);
  });

  it('runs out of addresses with NETWORK_POOL_EXHAUSTED', async () => {
    const { nets } = world();
    await nets.ensure({ name: 'tiny', ipam: { subnet: '10.8.0.0/30' } });
    await nets.attach({ container: 'c1', endpoints: [{ network: 'tiny' }] });
    await expectTscRejection(nets.attach({ container: 'c2', endpoints: [{ network: 'tiny' }] }), 'NETWORK_POOL_EXHAUSTED', /tiny/);
  });

  it('undoes an attach whose second veth fails', async () => {
    const { nets, kernel, dir } = world();
    await nets.ensure({ name: 'a' });
    await nets.ensure({ name: 'b' });
    kernel.failEndpointAt = 2;
    await expect(nets.attach({ container: 'c', endpoints: [{ network: 'a' }, { network: 'b' }] })).rejects.toThrow('veth refused');
    expect(kernel.endpoints.size).toBe(0);
    expect(readdirSync(join(dir, 'netns'))).toEqual([]);
    expect((await nets.list()).every((r) => Object.keys(r.endpoints).length === 0)).toBe(true);
  });

  it('refuses to remove a network in use, removes it once free, and finds an unknown one', async () => {
    const { nets, kernel } = world();
    const { record } = await nets.ensure({ name: 'n' });
    await nets.attach({ container: 'other-project-1', endpoints: [{ network: 'n' }] });
    await expectTscRejection(nets.remove('n'), 'NETWORK_IN_USE', /other-project-1/);
    await nets.detach('other-project-1');
    await nets.remove(record.id.slice(0, 12));
    expect(kernel.bridges.size).toBe(0);
    expect(await nets.list()).toEqual([]);
    await expectTscRejection(nets.remove('n'), 'NETWORK_NOT_FOUND');
    await expectTscRejection(nets.attach({ container: 'x', endpoints: [{ network: 'missing' }] }), 'NETWORK_NOT_FOUND', /missing/);
  });

  it('sweeps what a crash left: endpoints and namespaces of gone containers, and links of this root no record names', async () => {
    const { nets, kernel, dir } = world();
    await nets.ensure({ name: 'n' });
    await nets.attach({ container: 'alive', endpoints: [{ network: 'n' }] });
    await nets.attach({ container: 'dead', endpoints: [{ network: 'n' }] });
    kernel.foreignLinks.push({ name: 'tscstray', alias: linkAlias(join(dir, 'data'), { network: 'n', container: 'ghost' }) }, { name: 'tscother', alias: linkAlias('/elsewhere', { network: 'n' }) });
    const removed = await nets.sweep((name) => name !== 'alive');
    expect(removed).toEqual(['endpoints of dead', 'link tscstray']);
    expect(Object.keys((await nets.store.get('n')).endpoints)).toEqual(['alive']);
    expect(readdirSync(join(dir, 'netns'))).toEqual(['alive']);
    expect(kernel.calls).toContain('link- tscstray');
    expect(kernel.calls).not.toContain('link- tscother');
  });

  it('sweeps only what the predicate names, so another project\'s container being created keeps its endpoints', async () => {
    const { nets, dir } = world();
    await nets.ensure({ name: 'shared' });
    await nets.attach({ container: 'q-new-1', endpoints: [{ network: 'shared' }], labels: { project: 'q' } });
    await nets.attach({ container: 'p-dead-1', endpoints: [{ network: 'shared' }], labels: { project: 'p' } });
    writeFileSync(join(dir, 'netns', 'p-lost-1'), '');
    writeFileSync(join(dir, 'netns', 'q-lost-1'), '');
    const removed = await nets.sweep((name, labels) => (labels === undefined ? name.startsWith('p-') : labels.project === 'p'));
    expect(removed).toEqual(['endpoints of p-dead-1', 'endpoints of p-lost-1']);
    expect(Object.keys((await nets.store.get('shared')).endpoints)).toEqual(['q-new-1']);
    expect(readdirSync(join(dir, 'netns')).sort()).toEqual(['q-lost-1', 'q-new-1']);
  });

  it('gives a network its bridge again when the host lost it (after a reboot)', async () => {
    const { nets, kernel } = world();
    const { record } = await nets.ensure({ name: 'n' });
    kernel.bridges.clear();
    const again = await nets.ensure({ name: 'n' });
    expect(again.created).toBe(false);
    expect(kernel.bridges.get(record.bridge)?.address).toBe(`${record.gateway}/24`);
  });
});
