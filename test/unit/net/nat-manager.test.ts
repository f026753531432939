import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natWanted } from '../../../src/api/engine-networks.js';
import { BridgeNetworks } from '../../../src/net/bridge-networks.js';
import { NatManager } from '../../../src/net/nat-manager.js';
import { FORWARD_CHAIN, ISOLATE_CHAIN, NAT_CHAIN } from '../../../src/net/nat-rules.js';
import { expectTscError, expectTscRejection } from './expect-error.js';
import { FakeFirewall } from './fake-firewall.js';
import { FakeNetKernel } from './fake-net-kernel.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function world(firewall = new FakeFirewall(), kernel = new FakeNetKernel([{ dst: 'default', dev: 'eth0' }], [], [{ name: 'eth0' }])): { nets: BridgeNetworks; kernel: FakeNetKernel; firewall: FakeFirewall; warnings: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-nat-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'netns'));
  const warnings: string[] = [];
  let tick = 0;
  const nets = new BridgeNetworks({
    kernel, dataRoot: join(dir, 'data'), recordsDir: join(dir, 'data', 'networks'), netnsDir: join(dir, 'netns'), lockDir: join(dir, 'locks'),
    clock: { now: () => Date.UTC(2026, 0, 1) + tick++, monotonic: () => 0 }, machineLock: join(dir, 'machine.lock'),
    nat: new NatManager({ firewall, kernel, warn: (line) => warnings.push(line) }),
  });
  return { nets, kernel, firewall, warnings };
}

/** What `iptables-save` would show of both tables, as text. */
const tables = async (fw: FakeFirewall): Promise<string> => `${await fw.list('filter')}${await fw.list('nat')}`;

describe('NatManager through BridgeNetworks', () => {
  it('makes each network\'s rules on create, drops before accepts, and removes chains and jumps with the last network', async () => {
    const { nets, firewall } = world();
    await firewall.change('filter', ['-A', 'FORWARD', '-i', 'eth0', '-j', 'ACCEPT']);
    await firewall.change('nat', ['-A', 'POSTROUTING', '-o', 'eth0', '-j', 'MASQUERADE']);
    const before = await tables(firewall);
    const a = (await nets.ensure({ name: 'p_front' })).record;
    const b = (await nets.ensure({ name: 'p_back', internal: true })).record;
    const tag = (r: { bridge: string }): string => `-m comment --comment tscompose:${r.bridge}`;
    expect(firewall.rules('filter', 'FORWARD')).toEqual([`-j ${FORWARD_CHAIN}`, '-i eth0 -j ACCEPT']);
    expect(firewall.rules('nat', 'POSTROUTING')).toEqual(['-o eth0 -j MASQUERADE', `-j ${NAT_CHAIN}`]);
    expect(firewall.rules('filter', FORWARD_CHAIN)).toEqual([
      `! -i ${b.bridge} -o ${b.bridge} ${tag(b)} -j DROP`,
      `-i ${b.bridge} ! -o ${b.bridge} ${tag(b)} -j DROP`,
      `-i ${a.bridge} ! -o ${a.bridge} ${tag(a)} -j ${ISOLATE_CHAIN}`,
      `-o ${a.bridge} -m conntrack --ctstate RELATED,ESTABLISHED ${tag(a)} -j ACCEPT`,
      `-i ${a.bridge} ! -o ${a.bridge} ${tag(a)} -j ACCEPT`,
    ]);
    expect(firewall.rules('filter', ISOLATE_CHAIN)).toEqual([`-o ${a.bridge} ${tag(a)} -j DROP`]);
    expect(firewall.rules('nat', NAT_CHAIN)).toEqual([`-s ${a.subnet} ! -o ${a.bridge} ${tag(a)} -j MASQUERADE`]);

    // Ensuring again (the next `up`) adds nothing.
    const made = await tables(firewall);
    await nets.ensure({ name: 'p_front' });
    await nets.ensure({ name: 'p_back', internal: true });
    expect(await tables(firewall)).toBe(made);

    await nets.remove('p_front');
    expect(firewall.rules('nat', NAT_CHAIN)).toEqual([]);
    expect(firewall.rules('filter', FORWARD_CHAIN)?.every((r) => r.includes(b.bridge))).toBe(true);
    await nets.remove('p_back');
    expect(await tables(firewall)).toBe(before);
  });

  it('warns once, only for a network that can route out while the host does not forward', async () => {
    const { nets, firewall, warnings } = world();
    await nets.ensure({ name: 'p_back', internal: true });
    expect(warnings).toEqual([]);
    await nets.ensure({ name: 'p_front' });
    await nets.ensure({ name: 'p_other' });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/network p_front: .*sysctl net\.ipv4\.ip_forward=1/);
    const quiet = world();
    quiet.firewall.forward = true;
    await quiet.nets.ensure({ name: 'p_front' });
    expect(quiet.warnings).toEqual([]);
    expect(firewall.rules('nat', NAT_CHAIN)).toHaveLength(2);
  });

  it('sweeps the rules of a bridge that vanished on the next network operation', async () => {
    const { nets, firewall, kernel } = world();
    const gone = (await nets.ensure({ name: 'p_gone' })).record;
    const kept = (await nets.ensure({ name: 'p_kept' })).record;
    // A crash: the bridge went away (reboot, `ip link del`) but the rules stayed.
    await kernel.deleteLinks([gone.bridge]);
    expect(await nets.sweep(() => false)).toEqual([`firewall rules of ${gone.bridge}`]);
    const all = [...(firewall.rules('filter', FORWARD_CHAIN) ?? []), ...(firewall.rules('filter', ISOLATE_CHAIN) ?? []), ...(firewall.rules('nat', NAT_CHAIN) ?? [])];
    expect(all.some((r) => r.includes(gone.bridge))).toBe(false);
    expect(all.filter((r) => r.includes(kept.bridge))).toHaveLength(5);
  });

  it('undoes a network whose rules cannot be made, leaving no bridge, record or rule', async () => {
    const firewall = new FakeFirewall();
    firewall.failOn = 'MASQUERADE';
    const { nets, kernel } = world(firewall);
    const before = await tables(firewall);
    await expectTscRejection(nets.ensure({ name: 'p_front' }), 'KERNEL', /network p_front: .*MASQUERADE/);
    expect(kernel.bridges.size).toBe(0);
    expect(await nets.list()).toEqual([]);
    expect(await tables(firewall)).toBe(before);
  });
});

describe('TSCOMPOSE_NAT', () => {
  it('is on unless set to off, and refuses values it does not know', () => {
    expect([undefined, '', 'on', 'auto', ' ON '].map(natWanted)).toEqual([true, true, true, true, true]);
    expect(natWanted('off')).toBe(false);
    expectTscError(() => natWanted('maybe'), 'USAGE', /TSCOMPOSE_NAT=maybe/);
  });
});
