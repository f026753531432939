import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bridgeName, hostVethName, interfaceName, linkAlias, macFor, ownedBy } from '../../../src/net/network-names.js';
import { parseIp } from '../../../src/net/ipv4.js';
import { NetworkStore } from '../../../src/net/network-store.js';
import { expectTscRejection } from './expect-error.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('network names', () => {
  it('keeps bridge and veth names within the kernel\'s 15 characters, stable for the same inputs', () => {
    const long = '/a/very/long/data/root/that/goes/on/and/on';
    expect(bridgeName(long, 'project_with_a_long_network_name')).toMatch(/^tsc-[0-9a-f]{11}$/);
    expect(hostVethName(long, 'n', 'project-service-123')).toMatch(/^tsc[0-9a-f]{12}$/);
    expect(bridgeName('/r', 'n')).toBe(bridgeName('/r', 'n'));
    expect(hostVethName('/r', 'n', 'c1')).not.toBe(hostVethName('/r', 'n', 'c2'));
  });

  it('marks links with an alias naming their root, which tells roots apart', () => {
    const alias = linkAlias('/tmp/w1/data', { network: 'p_default', container: 'p-a-1' });
    expect(alias).toBe('tscompose root=/tmp/w1/data network=p_default container=p-a-1');
    expect(ownedBy(alias, '/tmp/w1/data')).toBe(true);
    expect(ownedBy(alias, '/tmp/w1')).toBe(false);
    expect(ownedBy(undefined, '/tmp/w1/data')).toBe(false);
  });

  it('derives MACs from addresses as Docker does, and names interfaces by position', () => {
    expect(macFor(parseIp('172.28.1.2') as number)).toBe('02:42:ac:1c:01:02');
    expect([0, 1, 2].map(interfaceName)).toEqual(['eth0', 'eth1', 'eth2']);
  });
});

describe('network records', () => {
  it('reports a corrupt record as STATE_CORRUPT naming the field, never half-trusting it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsc-netrec-'));
    dirs.push(dir);
    writeFileSync(join(dir, `${'b'.repeat(64)}.json`), JSON.stringify({ version: 1, id: 'b'.repeat(64), name: 'n', driver: 'bridge', bridge: 'x'.repeat(16) }));
    await expectTscRejection(new NetworkStore(dir).list(), 'STATE_CORRUPT', /bridge/);
  });
});
