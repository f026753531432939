import { describe, expect, it } from 'vitest';
import type { Project } from '../../../src/compose/model.js';
import type { NetworkRecord } from '../../../src/net/network-record.js';
import type { PortProbe } from '../../../src/net/ports/port-allocator.js';
import type { PublishedPort } from '../../../src/net/ports/published-port.js';
import { planPorts, portsSection } from '../../../src/orchestrator/published-ports.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import { portsColumn } from '../../../src/cli/render/ports-column.js';

const project: Project = {
  name: 'shop',
  services: {
    web: { image: 'web', ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }, { mode: 'ingress', host_ip: '127.0.0.1', target: 81, published: '8081', protocol: 'tcp' }] },
    api: { image: 'api', ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '9000-9010', protocol: 'tcp' }, { mode: 'ingress', target: 53, protocol: 'udp' }] },
    host: { image: 'h', network_mode: 'host', ports: [{ mode: 'ingress', target: 80, published: '80', protocol: 'tcp' }] },
    db: { image: 'db', expose: ['5432'] },
  },
};

const busy = new Set(['tcp:9000']);
let ephemeral = 45000;
const probe: PortProbe = {
  isFree: async (_ip, port, protocol) => !busy.has(`${protocol}:${port}`),
  ephemeral: async () => ephemeral++,
  holder: async () => undefined,
};

const container = (name: string, service: string, proj = 'shop'): ContainerInfo =>
  ({ name, labels: { 'com.docker.compose.project': proj, 'com.docker.compose.service': service } }) as unknown as ContainerInfo;

const record = (name: string, endpoints: Record<string, { ip: string; ifname: string }>): NetworkRecord =>
  ({ name, endpoints: Object.fromEntries(Object.entries(endpoints).map(([c, e]) => [c, { container: c, ...e }])) }) as unknown as NetworkRecord;

describe('planPorts', () => {
  it('plans every replica of the services up handles, leaves out host networking and expose', async () => {
    const plan = await planPorts(project, [{ name: 'web', replicas: 1 }, { name: 'api', replicas: 2 }, { name: 'host', replicas: 1 }, { name: 'db', replicas: 1 }], probe, []);
    expect(plan.services).toEqual(['web', 'api', 'host', 'db']);
    expect(plan.ports.map((p) => `${p.container} ${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`)).toEqual([
      'shop-web-1 127.0.0.1:8080->80/tcp',
      'shop-web-1 127.0.0.1:8081->81/tcp',
      'shop-api-1 127.0.0.1:9001->80/tcp',
      'shop-api-1 0.0.0.0:45000->53/udp',
      'shop-api-2 127.0.0.1:9002->80/tcp',
      'shop-api-2 0.0.0.0:45001->53/udp',
    ]);
  });
});

describe('planPorts with ports the project holds', () => {
  it('lets a planned service reuse its own held ports but not those of services it does not plan', async () => {
    const held: PublishedPort[] = [
      { container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { container: 'shop-db-1', service: 'db', hostIp: '127.0.0.1', hostPort: 8081, containerPort: 5432, protocol: 'tcp' },
    ];
    // The supervisor holds both ports, so the real probe sees them in use.
    const holding: PortProbe = { ...probe, isFree: async (_ip, port) => port !== 8080 && port !== 8081, holder: async () => ({ pid: 77, command: 'node' }) };
    // web publishes 8080 (its own) and 8081 (db's): the second is taken.
    const plan = await planPorts(project, [{ name: 'web', replicas: 1 }], holding, held).catch((err: unknown) => err);
    expect(plan).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('127.0.0.1:8081/tcp for `shop-web-1`: it is already in use by pid 77 (node)') });
    const alone = { ...project, services: { web: { image: 'web', ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }] } } };
    expect((await planPorts(alone, [{ name: 'web', replicas: 1 }], holding, held)).ports.map((p) => p.hostPort)).toEqual([8080]);
  });
});

describe('portsSection', () => {
  const held: PublishedPort[] = [
    { container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 7000, containerPort: 80, protocol: 'tcp' },
    { container: 'shop-db-1', service: 'db', hostIp: '127.0.0.1', hostPort: 7001, containerPort: 5432, protocol: 'tcp' },
    { container: 'shop-gone-1', service: 'gone', hostIp: '127.0.0.1', hostPort: 7002, containerPort: 1, protocol: 'tcp' },
  ];
  const networks = [
    record('shop_back', { 'shop-web-1': { ip: '10.2.0.5', ifname: 'eth1' }, 'shop-db-1': { ip: '10.2.0.6', ifname: 'eth0' } }),
    record('shop_front', { 'shop-web-1': { ip: '10.1.0.5', ifname: 'eth0' } }),
  ];

  it('takes the plan for the services it covers, keeps the rest, drops containers that are gone, and targets eth0', () => {
    const plan = { services: ['web'], ports: [{ container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }] };
    const section = portsSection('shop', [container('shop-web-1', 'web'), container('shop-db-1', 'db'), container('other-web-1', 'web', 'other')], plan, held, networks);
    expect(section.bindings).toEqual([
      { container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp', containerIp: '10.1.0.5' },
      { container: 'shop-db-1', service: 'db', hostIp: '127.0.0.1', hostPort: 7001, containerPort: 5432, protocol: 'tcp', containerIp: '10.2.0.6' },
    ]);
  });

  it('leaves the address out for a container on no network, and ps renders the bindings as docker ps does', () => {
    const section = portsSection('shop', [container('shop-web-1', 'web')], undefined, held, []);
    expect(section.bindings).toEqual([{ container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 7000, containerPort: 80, protocol: 'tcp' }]);
    const column = portsColumn([
      { container: 'a', service: 's', hostIp: '127.0.0.1', hostPort: 8081, containerPort: 81, protocol: 'tcp' },
      { container: 'a', service: 's', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { container: 'a', service: 's', hostIp: '::1', hostPort: 5353, containerPort: 53, protocol: 'udp' },
    ]);
    expect(column.get('a')).toBe('[::1]:5353->53/udp, 127.0.0.1:8080->80/tcp, 127.0.0.1:8081->81/tcp');
  });
});
