import { describe, expect, it } from 'vitest';
import type { Project } from '../../../src/compose/model.js';
import type { NetworkRecord } from '../../../src/net/network-record.js';
import { supervisorConfig } from '../../../src/orchestrator/supervisor-config.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';

// The config builder computes every section itself, dns and ports included, from plain data.

const project: Project = { name: 'shop', services: { web: { image: 'web', restart: 'always' }, db: { image: 'db' } } };

const container = (id: string, name: string, service: string, labels: Record<string, string> = {}): ContainerInfo =>
  ({ id, name, status: 'running', labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service, ...labels } }) as unknown as ContainerInfo;

const endpoint = (name: string, service: string, ip: string, project = 'shop'): [string, unknown] =>
  [name, { container: name, ip, ifname: 'eth0', aliases: [], labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service } }];

const network = { name: 'shop_default', bridge: 'tsc-1', gateway: '10.9.0.1', subnet: '10.9.0.0/24', internal: false, labels: { 'com.docker.compose.project': 'shop' },
  endpoints: Object.fromEntries([endpoint('shop-web-1', 'web', '10.9.0.2'), endpoint('shop-web-run-a', 'web', '10.9.0.3'), endpoint('shop-db-1', 'db', '10.9.0.4')]) } as unknown as NetworkRecord;

describe('supervisorConfig', () => {
  const containers = [container('1', 'shop-web-1', 'web'), container('2', 'shop-web-run-a', 'web', { 'com.docker.compose.oneoff': 'True' }), container('3', 'shop-db-1', 'db')];

  it('computes dns and ports next to health and restart; one-offs publish but are not restarted', () => {
    const config = supervisorConfig({
      project, containers, images: new Map(),
      publishing: {
        networks: [network], projectOf: () => 'shop', upstream: 'none',
        plan: { services: [], ports: [{ container: 'shop-web-run-a', service: 'web', hostIp: '127.0.0.1', hostPort: 9000, containerPort: 80, protocol: 'tcp' }] },
        held: [{ container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      },
    });
    expect(Object.keys(config.sections)).toEqual(['health', 'restart', 'dns', 'ports']);
    expect(config.sections.restart).toEqual({ containers: [{ id: '1', policy: { name: 'always' } }, { id: '3', policy: { name: 'no' } }] });
    expect(config.sections.ports).toEqual({
      bindings: [
        { container: 'shop-web-1', service: 'web', hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp', containerIp: '10.9.0.2' },
        { container: 'shop-web-run-a', service: 'web', hostIp: '127.0.0.1', hostPort: 9000, containerPort: 80, protocol: 'tcp', containerIp: '10.9.0.3' },
      ],
    });
    expect(config.sections.dns).toMatchObject({
      upstream: 'none',
      networks: [{
        name: 'shop_default', listen: '10.9.0.1', internal: false,
        records: {
          db: ['10.9.0.4'], 'db.shop': ['10.9.0.4'], 'shop-db-1': ['10.9.0.4'], 'shop-web-1': ['10.9.0.2'], 'shop-web-run-a': ['10.9.0.3'],
          web: ['10.9.0.2', '10.9.0.3'], 'web.shop': ['10.9.0.2', '10.9.0.3'],
        },
      }],
    });
  });

  it('leaves dns and ports out without what they are computed from', () => {
    expect(Object.keys(supervisorConfig({ project, containers, images: new Map() }).sections)).toEqual(['health', 'restart']);
  });
});
