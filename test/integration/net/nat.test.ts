import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findIptables, LinuxIptables } from '../../../src/kernel/linux/linux-nat.js';
import { LinuxNet } from '../../../src/kernel/linux/linux-net.js';
import { BridgeNetworks } from '../../../src/net/bridge-networks.js';
import { NatManager } from '../../../src/net/nat-manager.js';
import { FORWARD_CHAIN, ISOLATE_CHAIN, NAT_CHAIN } from '../../../src/net/nat-rules.js';
import type { NetworkRecord } from '../../../src/net/network-record.js';
import { ownedBy } from '../../../src/net/network-names.js';
import { systemClock } from '../../../src/util/clock.js';

const IPTABLES = findIptables();
const IS_ROOT = process.getuid?.() === 0;
const iptables = (args: string[]): string => execFileSync(IPTABLES as string, ['-w', ...args], { encoding: 'utf8' });
const OURS = /TSCOMPOSE-/;

/**
 * `iptables-save` without counters and comments, and without tscompose's chains and jumps. A table
 * that holds nothing but empty built-in chains with an ACCEPT policy is left out too: with the nft
 * backend, iptables makes such a table on first use and has no way to delete it, and it filters nothing.
 */
function hostTables(): string[] {
  const out: string[] = [];
  let table: string[] = [];
  const flush = (): void => {
    const meaningful = table.some((l) => l.startsWith('-A ') || (l.startsWith(':') && !/^:\S+ ACCEPT$/.test(l) && !/^:\S+ -$/.test(l)));
    if (meaningful) out.push(...table);
    table = [];
  };
  for (const raw of execFileSync('iptables-save', { encoding: 'utf8' }).split('\n')) {
    const line = raw.replace(/ \[\d+:\d+\]$/, '');
    if (line === '' || line.startsWith('#') || OURS.test(line)) continue;
    if (line.startsWith('*')) flush();
    table.push(line);
    if (line === 'COMMIT') flush();
  }
  flush();
  return out;
}

/** The rules of one of our chains, as `-S` prints them after `-A <chain>`; undefined when the chain does not exist. */
function chainRules(table: 'nat' | 'filter', chain: string): string[] | undefined {
  const text = iptables(['-t', table, '-S']);
  if (!text.split('\n').includes(`-N ${chain}`)) return undefined;
  return text.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).map((l) => l.slice(`-A ${chain} `.length));
}

const jumps = (): string[] => [
  ...iptables(['-t', 'filter', '-S', 'FORWARD']).split('\n').filter((l) => l.includes(FORWARD_CHAIN)),
  ...iptables(['-t', 'nat', '-S', 'POSTROUTING']).split('\n').filter((l) => l.includes(NAT_CHAIN)),
];

// Only rules are made here: no packet is sent anywhere, and net.ipv4.ip_forward is only read.
describe.skipIf(!IS_ROOT || IPTABLES === undefined)(`outbound NAT with the real iptables${IPTABLES === undefined ? ' (skipped: iptables is not installed)' : ''}`, () => {
  const kernel = new LinuxNet();
  const warnings: string[] = [];
  let dir: string;
  let dataRoot: string;
  let nets: BridgeNetworks;
  let before: string[];
  let front: NetworkRecord;
  let back: NetworkRecord;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tsc-nat-'));
    dataRoot = join(dir, 'data');
    mkdirSync(join(dir, 'netns'));
    before = hostTables();
    nets = new BridgeNetworks({
      kernel, dataRoot, recordsDir: join(dataRoot, 'networks'), netnsDir: join(dir, 'netns'), lockDir: join(dir, 'locks'), clock: systemClock,
      nat: new NatManager({ firewall: new LinuxIptables({ iptables: IPTABLES as string }), kernel, warn: (line) => warnings.push(line) }),
    });
    front = (await nets.ensure({ name: 'nat_front' })).record;
    back = (await nets.ensure({ name: 'nat_back', internal: true })).record;
  });

  afterAll(async () => {
    for (const name of ['nat_front', 'nat_back', 'nat_crash']) await nets?.remove(name).catch(() => undefined);
    const leftLinks = (await kernel.links()).filter((l) => ownedBy(l.alias, dataRoot)).map((l) => l.name);
    rmSync(dir, { recursive: true, force: true });
    expect(leftLinks).toEqual([]);
  });

  it('makes exactly the rules of one routed and one internal network, drops ahead of accepts', () => {
    const tag = (r: NetworkRecord): string => `-m comment --comment "tscompose:${r.bridge}"`;
    const a = front.bridge;
    const b = back.bridge;
    expect(chainRules('filter', FORWARD_CHAIN)).toEqual([
      `! -i ${b} -o ${b} ${tag(back)} -j DROP`,
      `-i ${b} ! -o ${b} ${tag(back)} -j DROP`,
      `-i ${a} ! -o ${a} ${tag(front)} -j ${ISOLATE_CHAIN}`,
      `-o ${a} -m conntrack --ctstate RELATED,ESTABLISHED ${tag(front)} -j ACCEPT`,
      `-i ${a} ! -o ${a} ${tag(front)} -j ACCEPT`,
    ]);
    expect(chainRules('filter', ISOLATE_CHAIN)).toEqual([`-o ${a} ${tag(front)} -j DROP`]);
    expect(chainRules('nat', NAT_CHAIN)).toEqual([`-s ${front.subnet} ! -o ${a} ${tag(front)} -j MASQUERADE`]);
    expect(jumps()).toEqual([`-A FORWARD -j ${FORWARD_CHAIN}`, `-A POSTROUTING -j ${NAT_CHAIN}`]);
    expect(iptables(['-t', 'filter', '-S', 'FORWARD']).split('\n')[1]).toBe(`-A FORWARD -j ${FORWARD_CHAIN}`);
    const forwards = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '1';
    expect(warnings).toHaveLength(forwards ? 0 : 1);
    if (!forwards) expect(warnings[0]).toContain('sysctl net.ipv4.ip_forward=1');
  });

  it('does not duplicate rules when the networks are ensured again', async () => {
    const made = [chainRules('filter', FORWARD_CHAIN), chainRules('filter', ISOLATE_CHAIN), chainRules('nat', NAT_CHAIN), jumps()];
    await nets.ensure({ name: 'nat_front' });
    await nets.ensure({ name: 'nat_back', internal: true });
    expect([chainRules('filter', FORWARD_CHAIN), chainRules('filter', ISOLATE_CHAIN), chainRules('nat', NAT_CHAIN), jumps()]).toEqual(made);
  });

  it('sweeps the rules of a bridge a crash took away', async () => {
    const crash = (await nets.ensure({ name: 'nat_crash' })).record;
    expect(chainRules('nat', NAT_CHAIN)).toHaveLength(2);
    await kernel.deleteLinks([crash.bridge]);
    const removed = await nets.sweep(() => false);
    expect(removed).toContain(`firewall rules of ${crash.bridge}`);
    const rules = [...(chainRules('filter', FORWARD_CHAIN) ?? []), ...(chainRules('filter', ISOLATE_CHAIN) ?? []), ...(chainRules('nat', NAT_CHAIN) ?? [])];
    expect(rules.filter((r) => r.includes(crash.bridge))).toEqual([]);
    expect(rules).toHaveLength(7);
    await nets.remove('nat_crash');
  });

  it('removes rules with their networks, then the chains and jumps, leaving the host\'s tables as they were', async () => {
    await nets.remove('nat_front');
    expect(chainRules('nat', NAT_CHAIN)).toEqual([]);
    expect(chainRules('filter', ISOLATE_CHAIN)).toEqual([]);
    expect(chainRules('filter', FORWARD_CHAIN)).toHaveLength(2);
    await nets.remove('nat_back');
    expect([chainRules('filter', FORWARD_CHAIN), chainRules('filter', ISOLATE_CHAIN), chainRules('nat', NAT_CHAIN)]).toEqual([undefined, undefined, undefined]);
    expect(jumps()).toEqual([]);
    expect(iptables(['-t', 'filter', '-S']).split('\n').concat(iptables(['-t', 'nat', '-S']).split('\n')).filter((l) => OURS.test(l))).toEqual([]);
    expect(hostTables()).toEqual(before);
  });
});
