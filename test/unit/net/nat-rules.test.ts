import { describe, expect, it } from 'vitest';
import {
  FORWARD_CHAIN, ISOLATE_CHAIN, NAT_CHAIN, networkRules, parseTable, planAddition, planRemoval, splitRuleLine, taggedBridge, type FirewallView,
} from '../../../src/net/nat-rules.js';

const front = { name: 'p_front', bridge: 'tsc-aaaaaaaaaaa', subnet: '172.28.2.0/24', internal: false };
const back = { name: 'p_back', bridge: 'tsc-bbbbbbbbbbb', subnet: '172.28.3.0/24', internal: true };

const view = (filter: string, nat: string): FirewallView => ({ filter: parseTable(filter), nat: parseTable(nat) });
const EMPTY = view('-P INPUT ACCEPT\n-P FORWARD ACCEPT\n-P OUTPUT ACCEPT\n', '-P POSTROUTING ACCEPT\n');
const lines = (rules: ReturnType<typeof networkRules>): string[] => rules.map((r) => `${r.table} ${r.chain} ${r.position} ${r.spec.join(' ')}`);

describe('NAT rule planning', () => {
  it('gives a non-internal network MASQUERADE, isolation from other bridges, return traffic and the way out', () => {
    expect(lines(networkRules(front))).toEqual([
      `filter ${ISOLATE_CHAIN} last -o tsc-aaaaaaaaaaa -m comment --comment tscompose:tsc-aaaaaaaaaaa -j DROP`,
      `filter ${FORWARD_CHAIN} first -i tsc-aaaaaaaaaaa ! -o tsc-aaaaaaaaaaa -m comment --comment tscompose:tsc-aaaaaaaaaaa -j ${ISOLATE_CHAIN}`,
      `filter ${FORWARD_CHAIN} last -o tsc-aaaaaaaaaaa -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment tscompose:tsc-aaaaaaaaaaa -j ACCEPT`,
      `filter ${FORWARD_CHAIN} last -i tsc-aaaaaaaaaaa ! -o tsc-aaaaaaaaaaa -m comment --comment tscompose:tsc-aaaaaaaaaaa -j ACCEPT`,
      `nat ${NAT_CHAIN} last -s 172.28.2.0/24 ! -o tsc-aaaaaaaaaaa -m comment --comment tscompose:tsc-aaaaaaaaaaa -j MASQUERADE`,
    ]);
  });

  it('gives an internal network only drops of anything crossing its bridge, and no NAT', () => {
    expect(lines(networkRules(back))).toEqual([
      `filter ${FORWARD_CHAIN} first -i tsc-bbbbbbbbbbb ! -o tsc-bbbbbbbbbbb -m comment --comment tscompose:tsc-bbbbbbbbbbb -j DROP`,
      `filter ${FORWARD_CHAIN} first ! -i tsc-bbbbbbbbbbb -o tsc-bbbbbbbbbbb -m comment --comment tscompose:tsc-bbbbbbbbbbb -j DROP`,
    ]);
  });

  it('reads iptables -S, undoing the quotes around comments', () => {
    expect(splitRuleLine('-A X -s 10.0.0.0/8 -m comment --comment "tscompose:tsc-1" -j MASQUERADE'))
      .toEqual(['-A', 'X', '-s', '10.0.0.0/8', '-m', 'comment', '--comment', 'tscompose:tsc-1', '-j', 'MASQUERADE']);
    expect(splitRuleLine('-A X -m comment --comment "a \\"b\\" c" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'ACCEPT']);
    const table = parseTable('-P FORWARD DROP\n-N DOCKER\n-A FORWARD -j DOCKER\n\n');
    expect([...table.chains]).toEqual(['FORWARD', 'DOCKER']);
    expect(table.rules).toEqual([{ chain: 'FORWARD', spec: ['-j', 'DOCKER'] }]);
    expect(taggedBridge(['-m', 'comment', '--comment', 'someone else'])).toBeUndefined();
    expect(taggedBridge(['-m', 'comment', '--comment', 'tscompose:tsc-x'])).toBe('tsc-x');
  });

  it('creates the chains and jumps for the first network, then only ensures rules', () => {
    const first = planAddition(EMPTY, front, new Set([front.bridge]));
    expect(first.slice(0, 5)).toEqual([
      { op: 'create-chain', table: 'filter', chain: FORWARD_CHAIN },
      { op: 'create-chain', table: 'filter', chain: ISOLATE_CHAIN },
      { op: 'create-chain', table: 'nat', chain: NAT_CHAIN },
      { op: 'ensure-rule', rule: { table: 'filter', chain: 'FORWARD', spec: ['-j', FORWARD_CHAIN], position: 'first' } },
      { op: 'ensure-rule', rule: { table: 'nat', chain: 'POSTROUTING', spec: ['-j', NAT_CHAIN], position: 'last' } },
    ]);
    expect(first.slice(5)).toEqual(networkRules(front).map((rule) => ({ op: 'ensure-rule', rule })));
    const existing = view(`-P FORWARD ACCEPT\n-N ${FORWARD_CHAIN}\n-N ${ISOLATE_CHAIN}\n-A FORWARD -j ${FORWARD_CHAIN}\n`, `-P POSTROUTING ACCEPT\n-N ${NAT_CHAIN}\n`);
    expect(planAddition(existing, back, new Set([back.bridge])).map((s) => s.op)).toEqual(['ensure-rule', 'ensure-rule', 'ensure-rule', 'ensure-rule']);
  });

  it('sweeps the rules of a bridge that is gone, keeps those of live bridges and of the host', () => {
    const filter = [
      '-P FORWARD ACCEPT', `-N ${FORWARD_CHAIN}`, `-N ${ISOLATE_CHAIN}`, '-A FORWARD -i eth0 -j ACCEPT', `-A FORWARD -j ${FORWARD_CHAIN}`,
      `-A ${FORWARD_CHAIN} -i tsc-gone ! -o tsc-gone -m comment --comment "tscompose:tsc-gone" -j DROP`,
      `-A ${FORWARD_CHAIN} -i tsc-live ! -o tsc-live -m comment --comment "tscompose:tsc-live" -j DROP`,
    ].join('\n');
    const nat = `-P POSTROUTING ACCEPT\n-N ${NAT_CHAIN}\n-A POSTROUTING -j ${NAT_CHAIN}\n-A ${NAT_CHAIN} -s 172.28.9.0/24 ! -o tsc-gone -m comment --comment "tscompose:tsc-gone" -j MASQUERADE\n`;
    const steps = planRemoval(view(filter, nat), undefined, new Set(['tsc-live', 'eth0']));
    expect(steps).toEqual([
      { op: 'delete-rule', table: 'filter', chain: FORWARD_CHAIN, spec: ['-i', 'tsc-gone', '!', '-o', 'tsc-gone', '-m', 'comment', '--comment', 'tscompose:tsc-gone', '-j', 'DROP'] },
      { op: 'delete-rule', table: 'nat', chain: NAT_CHAIN, spec: ['-s', '172.28.9.0/24', '!', '-o', 'tsc-gone', '-m', 'comment', '--comment', 'tscompose:tsc-gone', '-j', 'MASQUERADE'] },
    ]);
    // Adding a network sweeps too, and never the bridge being added even before it shows as a link.
    const adding = planAddition(view(filter, nat), { ...front, bridge: 'tsc-live' }, new Set(['eth0']));
    expect(adding.filter((s) => s.op === 'delete-rule')).toEqual(steps);
  });

  it('removes the jumps and chains with the last rule of any network, and never the host\'s own rules', () => {
    const filter = [
      '-P FORWARD DROP', `-N ${FORWARD_CHAIN}`, `-N ${ISOLATE_CHAIN}`, `-A FORWARD -j ${FORWARD_CHAIN}`, '-A FORWARD -i eth0 -j ACCEPT',
      `-A ${FORWARD_CHAIN} -i tsc-a ! -o tsc-a -m comment --comment "tscompose:tsc-a" -j ACCEPT`,
    ].join('\n');
    const nat = `-P POSTROUTING ACCEPT\n-N ${NAT_CHAIN}\n-A POSTROUTING -j ${NAT_CHAIN}\n-A POSTROUTING -o eth0 -j MASQUERADE\n`;
    expect(planRemoval(view(filter, nat), 'tsc-a', new Set(['tsc-a', 'eth0']))).toEqual([
      { op: 'delete-rule', table: 'filter', chain: FORWARD_CHAIN, spec: ['-i', 'tsc-a', '!', '-o', 'tsc-a', '-m', 'comment', '--comment', 'tscompose:tsc-a', '-j', 'ACCEPT'] },
      { op: 'delete-rule', table: 'filter', chain: 'FORWARD', spec: ['-j', FORWARD_CHAIN] },
      { op: 'delete-rule', table: 'nat', chain: 'POSTROUTING', spec: ['-j', NAT_CHAIN] },
      { op: 'delete-chain', table: 'filter', chain: FORWARD_CHAIN },
      { op: 'delete-chain', table: 'filter', chain: ISOLATE_CHAIN },
      { op: 'delete-chain', table: 'nat', chain: NAT_CHAIN },
    ]);
    // While another live bridge still has a rule, the chains stay.
    const shared = `${filter}\n-A ${ISOLATE_CHAIN} -o tsc-b -m comment --comment "tscompose:tsc-b" -j DROP`;
    expect(planRemoval(view(shared, nat), 'tsc-a', new Set(['tsc-a', 'tsc-b'])).map((s) => s.op)).toEqual(['delete-rule']);
    // Nothing of ours on the host: nothing to do.
    expect(planRemoval(EMPTY, undefined, new Set())).toEqual([]);
  });
});
