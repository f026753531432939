import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IS_ROOT, ROOT, World } from './support/world.js';

// One resolver per network, shared by the projects on it: project sda creates the network, sdb joins
// it as external. Whichever supervisor holds the gateway's port 53 answers the names of both; when
// sda goes down, sdb's supervisor takes the port over and answers its own names.

const A = `name: sda
services:
  a-svc:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [shared]
networks:
  shared: { name: shareddns }
`;

const B = `name: sdb
services:
  b-svc:
    image: tscompose-test/busybox:latest
    command: ["sleep", "600"]
    stop_signal: SIGKILL
    networks: [shared]
networks:
  shared: { name: shareddns, external: true }
`;

/** The addresses an nslookup printed for the name asked (busybox prints the server's first). */
const found = (out: string): string[] => [...out.matchAll(/^Address: (\d+\.\d+\.\d+\.\d+)$/gm)].map((m) => m[1] as string);

describe.runIf(IS_ROOT && existsSync(join(ROOT, 'dist', 'cli', 'main.js')))('a network\'s resolver shared by two projects', () => {
  const world = new World();
  const fileA = join(world.dir, 'a.yaml');
  const fileB = join(world.dir, 'b.yaml');
  const dnsDir = join(world.dir, 'run', 'dns');
  const lookup = async (file: string, service: string, name: string): Promise<{ code: number; ips: string[] }> => {
    const r = await world.cli(['-f', file, 'exec', '-T', service, 'nslookup', name]);
    return { code: r.code, ips: found(r.stdout) };
  };
  const ipOf = async (container: string): Promise<string> => {
    const r = await world.cli(['network', 'inspect', 'shareddns']);
    const [net] = JSON.parse(r.stdout) as { Containers: Record<string, { Name: string; IPv4Address: string }> }[];
    return Object.values(net?.Containers ?? {}).find((c) => c.Name === container)?.IPv4Address.split('/')[0] ?? '';
  };
  let aIp = '';
  let bIp = '';

  beforeAll(async () => {
    await world.loadImages();
    writeFileSync(fileA, A);
    writeFileSync(fileB, B);
    const upA = await world.cli(['-f', fileA, 'up', '-d']);
    expect(upA.code, upA.stderr).toBe(0);
    const upB = await world.cli(['-f', fileB, 'up', '-d']);
    expect(upB.code, upB.stderr).toBe(0);
    aIp = await ipOf('sda-a-svc-1');
    bIp = await ipOf('sdb-b-svc-1');
  }, 180_000);

  afterAll(async () => {
    await world.cli(['-f', fileB, 'down', '-t', '0']);
    await world.cli(['-f', fileA, 'down', '-t', '0']);
    const leaks = world.leaks();
    const dns = existsSync(dnsDir);
    world.dispose();
    expect(leaks).toEqual({ mounts: [], processes: [] });
    expect(dns).toBe(false);
  }, 120_000);

  it('answers each project\'s names to the other, from one resolver', async () => {
    expect(aIp).not.toBe('');
    expect(bIp).not.toBe('');
    expect(readdirSync(join(dnsDir, 'shareddns')).sort()).toEqual(['sda.json', 'sdb.json']);
    expect((await lookup(fileA, 'a-svc', 'b-svc')).ips).toContain(bIp);
    expect((await lookup(fileB, 'b-svc', 'a-svc')).ips).toContain(aIp);
    expect((await lookup(fileB, 'b-svc', 'a-svc.sda')).ips).toContain(aIp);
  });

  it('hands the resolver over when the project that served it goes down, and leaves nothing at the end', async () => {
    // sda made the network: its down removes its containers and supervisor, and keeps the network sdb still uses.
    const downA = await world.cli(['-f', fileA, 'down', '-t', '0']);
    expect(downA.stderr).toContain('NETWORK_IN_USE');
    expect(world.supervisors().filter((p) => p.includes('--project sda'))).toEqual([]);
    expect(readdirSync(join(dnsDir, 'shareddns'))).toEqual(['sdb.json']);
    // sdb's supervisor hears sda's file go and binds the port: a bounded number of tries, no fixed wait.
    let own = await lookup(fileB, 'b-svc', 'b-svc');
    for (let i = 0; i < 10 && !own.ips.includes(bIp); i++) own = await lookup(fileB, 'b-svc', 'b-svc');
    expect(own.ips).toContain(bIp);
    const gone = await lookup(fileB, 'b-svc', 'a-svc');
    expect(gone.code).not.toBe(0);
    expect(gone.ips.filter((ip) => ip === aIp)).toEqual([]);

    const downB = await world.cli(['-f', fileB, 'down', '-t', '0']);
    expect(downB.code, downB.stderr).toBe(0);
    // The network is sda's: its next down removes it, now that nobody uses it.
    const again = await world.cli(['-f', fileA, 'down', '-t', '0']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('Network shareddns  Removed');
    expect(existsSync(dnsDir)).toBe(false);
    expect(world.supervisors()).toEqual([]);
    expect(world.networkLinks()).toEqual([]);
  }, 120_000);
});
