import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinuxNet } from '../../../src/kernel/linux/linux-net.js';
import { BridgeNetworks } from '../../../src/net/bridge-networks.js';
import { linkAlias, ownedBy } from '../../../src/net/network-names.js';
import { systemClock } from '../../../src/util/clock.js';
import { mountsUnder } from '../runtime/harness.js';
import { linuxWorld, nativesReady, type LinuxWorld } from '../runtime/runtime-world.js';

/**
 * Real bridges, veths and namespaces: containers of the runtime join namespaces BridgeNetworks made
 * and reach each other by address, only on a network they share.
 */
describe.skipIf(!nativesReady)('bridge networks on the Linux kernel', () => {
  const kernel = new LinuxNet();
  let world: LinuxWorld;
  let nets: BridgeNetworks;
  let dataRoot: string;

  beforeAll(async () => {
    world = await linuxWorld();
    dataRoot = world.paths.roots.dataRoot;
    nets = new BridgeNetworks({
      kernel, dataRoot, recordsDir: join(dataRoot, 'networks'), netnsDir: world.paths.netns, lockDir: world.paths.locks, clock: systemClock,
    });
    await nets.ensure({ name: 't_a' });
    await nets.ensure({ name: 't_b', internal: true });
    await nets.attach({ container: 'on-a', endpoints: [{ network: 't_a' }] });
    await nets.attach({ container: 'on-both', endpoints: [{ network: 't_b' }, { network: 't_a' }] });
    await nets.attach({ container: 'on-b', endpoints: [{ network: 't_b', macAddress: '02:42:0a:0b:0c:0d' }] });
  });

  afterAll(async () => {
    for (const c of ['on-a', 'on-both', 'on-b']) await nets?.detach(c);
    for (const n of ['t_a', 't_b']) await nets?.remove(n).catch(() => undefined);
    const leftLinks = (await kernel.links()).filter((l) => ownedBy(l.alias, dataRoot)).map((l) => l.name);
    const leftNetns = readdirSync(world.paths.netns);
    const leftMounts = mountsUnder(world.dir);
    expect(await world.cleanup()).toEqual([]);
    expect({ leftLinks, leftNetns, leftMounts }).toEqual({ leftLinks: [], leftNetns: [], leftMounts: [] });
  });

  /** Runs a shell script in a container joined to the namespace of `sandbox`; its stdout and exit code. */
  async function run(sandbox: string, script: string): Promise<{ out: string; code: number | null }> {
    const name = `${sandbox}-${Math.random().toString(16).slice(2, 8)}`;
    const rt = world.runtime;
    await rt.create(world.spec(name, ['sh', '-c', script], { network: { path: nets.netnsPath(sandbox) } }));
    await rt.start(name);
    const exit = await rt.wait(name);
    let out = '';
    for await (const r of rt.logs(name)) if (r.stream === 'stdout') out += r.log;
    await rt.remove(name);
    return { out, code: exit.exitCode };
  }

  const ipOf = async (network: string, container: string): Promise<string> => (await nets.store.get(network)).endpoints[container]?.ip ?? '';

  it('gives each container its address, eth0/eth1 in the order asked, and the MAC asked for', async () => {
    const both = await run('on-both', 'ip -o -4 addr show dev eth0; ip -o -4 addr show dev eth1');
    expect(both.out).toContain(`eth0    inet ${await ipOf('t_b', 'on-both')}/24`);
    expect(both.out).toContain(`eth1    inet ${await ipOf('t_a', 'on-both')}/24`);
    const b = await run('on-b', 'cat /sys/class/net/eth0/address');
    expect(b.out.trim()).toBe('02:42:0a:0b:0c:0d');
  });

  it('lets two containers on one network ping each other by address', async () => {
    const there = await run('on-a', `ping -c1 -W3 ${await ipOf('t_a', 'on-both')}`);
    expect(there.code).toBe(0);
    const back = await run('on-both', `ping -c1 -W3 ${await ipOf('t_a', 'on-a')}`);
    expect(back.code).toBe(0);
  });

  // Without NAT or firewall rules (not made here), separate networks are apart only while the host does not forward.
  const hostForwards = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1';
  it.skipIf(hostForwards)('does not let a container reach one on a network it is not on', async () => {
    const target = await ipOf('t_b', 'on-b');
    const result = await run('on-a', `ping -c1 -W1 ${target}; echo rc=$?`);
    expect(result.out).toMatch(/rc=[1-9]/);
    expect((await run('on-both', `ping -c1 -W3 ${target}`)).code).toBe(0);
  });

  it('gives a default route via the first network that is not internal, and none on an internal network alone', async () => {
    const both = await run('on-both', 'ip route');
    expect(both.out).toContain(`default via ${(await nets.store.get('t_a')).gateway} dev eth1`);
    const internal = await run('on-b', 'ip route');
    expect(internal.out).not.toContain('default');
    expect(internal.out).toContain('dev eth0');
  });

  it('sweeps what a crash left: a gone container\'s veths and namespace, and a bridge no record names', async () => {
    const ghost = await nets.attach({ container: 'ghost', endpoints: [{ network: 't_a' }, { network: 't_b' }] });
    await kernel.createBridge({ name: 'tsc-straytest', address: '10.254.254.1/30', alias: linkAlias(dataRoot, { network: 'lost' }) });
    const removed = await nets.sweep((name) => !['on-a', 'on-both', 'on-b'].includes(name));
    expect(removed).toEqual(['endpoints of ghost', 'link tsc-straytest']);
    const names = new Set((await kernel.links()).map((l) => l.name));
    expect(ghost.endpoints.filter((e) => names.has(e.hostIfname))).toEqual([]);
    expect(names.has('tsc-straytest')).toBe(false);
    expect(readdirSync(world.paths.netns).sort()).toEqual(['on-a', 'on-b', 'on-both']);
    expect(mountsUnder(world.paths.netns).sort()).toEqual(['on-a', 'on-b', 'on-both'].map((c) => join(world.paths.netns, c)));
  });
});
