import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IS_ROOT, ROOT, World } from './support/world.js';

const COMPOSE = `name: netdemo
services:
  a:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    networks:
      front: {}
      back: { priority: 10, aliases: [alpha] }
  b:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    hostname: bee
    extra_hosts: ["gw:host-gateway"]
    dns_search: [example.test]
    networks:
      front:
        ipv4_address: 10.77.0.50
        mac_address: "02:42:0a:4d:00:32"
  c:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    networks: [back]
  d:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    network_mode: service:b
networks:
  front:
    ipam:
      config: [{ subnet: 10.77.0.0/24 }]
  back:
    internal: true
`;

// Bridge networks through bin/tscompose: addresses, reachability, /etc files, the network command, cleanup.
describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('networks end to end', () => {
  const world = new World();
  const file = join(world.dir, 'compose.yaml');
  const cli = (...args: string[]): ReturnType<World['cli']> => world.cli(['-f', file, ...args]);
  const exec = async (service: string, script: string): Promise<{ code: number; out: string }> => {
    const r = await cli('exec', '-T', service, 'sh', '-c', script);
    return { code: r.code, out: r.stdout };
  };
  let inspect: { Name: string; Internal: boolean; Labels: Record<string, string>; IPAM: { Config: { Subnet: string; Gateway: string }[] }; Containers: Record<string, { Name: string; IPv4Address: string; MacAddress: string }> }[];

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(file, COMPOSE);
    const plan = await cli('--dry-run', 'up', '-d');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('create network netdemo_front (it does not exist yet)');
    const up = await cli('up', '-d');
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('Network netdemo_front  Created');
    const result = await world.cli(['network', 'inspect', 'netdemo_front', 'netdemo_back']);
    expect(result.code, result.stderr).toBe(0);
    inspect = JSON.parse(result.stdout) as typeof inspect;
  }, 120_000);

  afterAll(async () => {
    const down = await cli('down', '-t', '1');
    const ls = await world.cli(['network', 'ls', '-q']);
    const leaks = world.leaks();
    const dirs = world.containerDirs();
    world.dispose();
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).toContain('Network netdemo_back  Removed');
    expect(ls.stdout).toBe('');
    expect(dirs).toEqual([]);
    expect(leaks).toEqual({ mounts: [], processes: [] });
  });

  const ip = (network: string, container: string): string => {
    const entry = Object.values(inspect.find((n) => n.Name === network)?.Containers ?? {}).find((c) => c.Name === container);
    return entry?.IPv4Address.split('/')[0] ?? '';
  };

  it('lists and inspects the project\'s networks as docker does', async () => {
    const ls = await world.cli(['network', 'ls']);
    const lines = ls.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NETWORK ID\s+NAME\s+DRIVER\s+SCOPE$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(1))).toEqual([['netdemo_back', 'bridge', 'local'], ['netdemo_front', 'bridge', 'local']]);
    const [front, back] = inspect;
    expect(front?.IPAM.Config[0]).toEqual({ Subnet: '10.77.0.0/24', Gateway: '10.77.0.1' });
    expect(front?.Labels).toEqual({ 'com.docker.compose.network': 'front', 'com.docker.compose.project': 'netdemo' });
    expect(back?.Internal).toBe(true);
    expect(ip('netdemo_front', 'netdemo-b-1')).toBe('10.77.0.50');
    expect(Object.values(front?.Containers ?? {}).find((c) => c.Name === 'netdemo-b-1')?.MacAddress).toBe('02:42:0a:4d:00:32');
  });

  it('lets services on a shared network ping each other, and not across networks', async () => {
    expect((await exec('a', `ping -c1 -W3 ${ip('netdemo_front', 'netdemo-b-1')}`)).code).toBe(0);
    expect((await exec('b', `ping -c1 -W3 ${ip('netdemo_front', 'netdemo-a-1')}`)).code).toBe(0);
    expect((await exec('c', `ping -c1 -W3 ${ip('netdemo_back', 'netdemo-a-1')}`)).code).toBe(0);
    // Without NAT or firewall rules (not made here), separate networks are apart only while the host does not forward.
    if (readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim() === '0') {
      expect((await exec('b', `ping -c1 -W1 ${ip('netdemo_back', 'netdemo-c-1')}; echo rc=$?`)).out).toMatch(/rc=[1-9]/);
    }
  });

  it('orders interfaces by priority and routes by the first network that is not internal', async () => {
    const a = await exec('a', 'ip -o -4 addr show dev eth0; ip -o -4 addr show dev eth1; ip route');
    expect(a.out).toContain(`eth0    inet ${ip('netdemo_back', 'netdemo-a-1')}/24`);
    expect(a.out).toContain(`eth1    inet ${ip('netdemo_front', 'netdemo-a-1')}/24`);
    expect(a.out).toContain('default via 10.77.0.1 dev eth1');
    expect((await exec('c', 'ip route')).out).not.toContain('default');
  });

  it('writes /etc/hosts, /etc/resolv.conf and /etc/hostname, and shares b\'s namespace with d', async () => {
    const b = await exec('b', 'cat /etc/hosts /etc/resolv.conf /etc/hostname; hostname');
    expect(b.out).toContain('127.0.0.1\tlocalhost');
    expect(b.out).toContain('10.77.0.1\tgw');
    expect(b.out).toContain('10.77.0.50\tbee');
    expect(b.out).toContain('nameserver 10.77.0.1\nsearch example.test\n');
    expect(b.out.trimEnd().split('\n').slice(-2)).toEqual(['bee', 'bee']);
    const d = await exec('d', 'ip -o -4 addr show dev eth0');
    expect(d.out).toContain('inet 10.77.0.50/24');
  });

  it('resolves the names of every network a container is on, and no others', async () => {
    const found = (out: string): string[] => [...out.matchAll(/^Address: (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1] as string);
    // a asks the resolver of back (its first network): b is on front only, c on back only.
    expect(found((await exec('a', 'nslookup b')).out)).toEqual([ip('netdemo_front', 'netdemo-b-1')]);
    expect(found((await exec('a', 'nslookup c')).out)).toEqual([ip('netdemo_back', 'netdemo-c-1')]);
    const unseen = await exec('c', 'nslookup b');
    expect(unseen.code).not.toBe(0);
    expect(found(unseen.out)).toEqual([]);
  });

  it('lets another project join the network as external, and refuses an external network that does not exist', async () => {
    const other = join(world.dir, 'other.yaml');
    writeFileSync(other, `name: guest
services:
  g:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    networks: [shared]
networks:
  shared: { name: netdemo_front, external: true }
`);
    const up = await world.cli(['-f', other, 'up', '-d']);
    expect(up.code, up.stderr).toBe(0);
    const ping = await world.cli(['-f', other, 'exec', '-T', 'g', 'ping', '-c1', '-W3', ip('netdemo_front', 'netdemo-a-1')]);
    expect(ping.code, ping.stderr).toBe(0);
    const down = await world.cli(['-f', other, 'down', '-t', '1']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stderr).not.toContain('Network netdemo_front');
    expect((await world.cli(['network', 'ls', '-q'])).stdout.trimEnd().split('\n')).toHaveLength(2);
    const missing = join(world.dir, 'missing.yaml');
    writeFileSync(missing, 'name: lost\nservices:\n  x:\n    image: tscompose-test/busybox:latest\n    networks: [gone]\nnetworks:\n  gone: { external: true }\n');
    const refused = await world.cli(['-f', missing, 'up', '-d']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('NETWORK_NOT_FOUND');
    expect((await world.cli(['-f', missing, 'ps', '-a', '-q'])).stdout).toBe('');
  });

  it('refuses to remove a network in use, and prune keeps networks in use', async () => {
    const rm = await world.cli(['network', 'rm', 'netdemo_front']);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain('NETWORK_IN_USE');
    expect(rm.stderr).toContain('netdemo-a-1');
    const prune = await world.cli(['network', 'prune']);
    expect(prune.code, prune.stderr).toBe(0);
    expect(prune.stdout).toBe('');
    expect((await world.cli(['network', 'inspect', 'nope'])).stderr).toContain('NETWORK_NOT_FOUND');
  });
});
