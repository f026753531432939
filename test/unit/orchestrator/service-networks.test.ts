import { describe, expect, it } from 'vitest';
import type { Project } from '../../../src/compose/model.js';
import type { NetworkRecord } from '../../../src/net/network-record.js';
import { projectEndpoints } from '../../../src/orchestrator/network-view.js';
import { describeNetworkAction, plan, planNetworkRemoval, planNetworks, type DesiredService, type ObservedContainer } from '../../../src/orchestrator/plan.js';
import { desiredNetworks, networkRequest, serviceNetworking } from '../../../src/orchestrator/service-networks.js';
import { TscError } from '../../../src/errors/index.js';

const project: Project = {
  name: 'p',
  services: {
    web: { image: 'x', networks: { front: { priority: 1 }, back: { aliases: ['api'], ipv4_address: '10.1.0.5', mac_address: '02:42:00:00:00:09' }, zeta: { priority: 1 } } },
    db: { image: 'x', networks: { back: null } },
    side: { image: 'x', network_mode: 'service:db' },
    host: { image: 'x', network_mode: 'host' },
    off: { image: 'x', network_mode: 'none' },
    odd: { image: 'x', network_mode: 'bridge' },
  },
  networks: {
    front: { name: 'p_front' },
    back: { name: 'custom-back', internal: true, labels: { team: 'a' }, ipam: { config: [{ subnet: '10.1.0.0/24', gateway: '10.1.0.254' }] } },
    zeta: { name: 'p_zeta' },
    ext: { name: 'shared', external: true },
  },
};

describe('service networking', () => {
  it('orders endpoints by priority, higher first, then by name, with aliases, addresses and MACs', () => {
    const net = serviceNetworking(project, 'web');
    expect(net.mode).toBe('bridge');
    if (net.mode !== 'bridge') return;
    expect(net.endpoints.map((e) => e.network)).toEqual(['p_front', 'p_zeta', 'custom-back']);
    expect(net.endpoints[2]).toEqual({ network: 'custom-back', aliases: ['api'], ipv4Address: '10.1.0.5', macAddress: '02:42:00:00:00:09' });
  });

  it('maps network_mode: host, none, and service:x to the name of x\'s container', () => {
    expect(serviceNetworking(project, 'host')).toEqual({ mode: 'host' });
    expect(serviceNetworking(project, 'off')).toEqual({ mode: 'none' });
    expect(serviceNetworking(project, 'side')).toEqual({ mode: 'join', container: 'p-db-1' });
    expect(() => serviceNetworking(project, 'odd')).toThrow(TscError);
  });

  it('lists the networks the services join, and what to create for one, with Compose\'s labels', () => {
    expect(desiredNetworks(project, ['db', 'side', 'host'])).toEqual([{ key: 'back', name: 'custom-back', external: false }]);
    expect(networkRequest(project, 'back')).toEqual({
      name: 'custom-back', internal: true, attachable: false,
      labels: { team: 'a', 'com.docker.compose.network': 'back', 'com.docker.compose.project': 'p' },
      ipam: { subnet: '10.1.0.0/24', gateway: '10.1.0.254' },
    });
  });
});

describe('network plan', () => {
  it('creates the networks that do not exist, with a reason, and never an external one', () => {
    const desired = [{ key: 'back', name: 'custom-back', external: false }, { key: 'front', name: 'p_front', external: false }, { key: 'ext', name: 'shared', external: true }];
    const actions = planNetworks(desired, ['p_front', 'shared']);
    expect(actions).toEqual([{ kind: 'create-network', network: 'custom-back', reason: 'it does not exist yet' }]);
    expect(actions.map(describeNetworkAction)).toEqual(['create network custom-back (it does not exist yet)']);
  });

  it('reports a missing external network as NETWORK_NOT_FOUND', () => {
    let error: unknown;
    try {
      planNetworks([{ key: 'ext', name: 'shared', external: true }], []);
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'NETWORK_NOT_FOUND', path: 'networks.ext' });
  });

  it('removes the project\'s own networks on down', () => {
    expect(planNetworkRemoval(['p_a']).map(describeNetworkAction)).toEqual(['remove network p_a (the project is going down)']);
  });

  it('recreates a container whose networks differ from the service\'s', () => {
    const desired: DesiredService[] = [{ name: 'web', replicas: 1, configHash: 'h', networks: ['p_back', 'p_front'] }];
    const observed: ObservedContainer[] = [{ id: 'i', name: 'p-web-1', service: 'web', number: 1, configHash: 'h', status: 'running', networks: ['p_front'] }];
    expect(plan(desired, observed).map((a) => [a.kind, a.reason])).toEqual([['recreate', 'networks changed']]);
    expect(plan(desired, [{ ...observed[0] as ObservedContainer, networks: ['p_back', 'p_front'] }])).toEqual([]);
  });
});

describe('projectEndpoints', () => {
  const record = (name: string, labels: Record<string, string>, endpoints: NetworkRecord['endpoints']): NetworkRecord => ({
    version: 1, id: 'a'.repeat(64), name, driver: 'bridge', bridge: `tsc-${name}`, subnet: '172.28.0.0/24', gateway: '172.28.0.1',
    internal: false, attachable: false, labels, options: {}, createdAt: '', endpoints,
  });
  const endpoint = (container: string, project: string, service: string, ip: string): NetworkRecord['endpoints'][string] => ({
    container, ip, mac: '02:42:00:00:00:01', ifname: 'eth0', hostIfname: 'tscx', aliases: ['al'], netns: '/n',
    labels: { 'com.docker.compose.project': project, 'com.docker.compose.service': service },
  });

  it('gives the project\'s networks and the external ones its containers joined, with every endpoint on them', () => {
    const records = [
      record('p_default', { 'com.docker.compose.project': 'p' }, { 'p-web-1': endpoint('p-web-1', 'p', 'web', '172.28.0.2') }),
      record('shared', { 'com.docker.compose.project': 'q' }, { 'q-x-1': endpoint('q-x-1', 'q', 'x', '172.28.0.3'), 'p-web-1': endpoint('p-web-1', 'p', 'web', '172.28.0.4') }),
      record('q_only', { 'com.docker.compose.project': 'q' }, {}),
    ];
    const view = projectEndpoints(records, 'p');
    expect(view.map((n) => n.name)).toEqual(['p_default', 'shared']);
    expect(view[1]).toEqual({
      name: 'shared', bridge: 'tsc-shared', gateway: '172.28.0.1', subnet: '172.28.0.0/24', internal: false,
      endpoints: [
        { container: 'p-web-1', service: 'web', ip: '172.28.0.4', aliases: ['al'] },
        { container: 'q-x-1', service: 'x', ip: '172.28.0.3', aliases: ['al'] },
      ],
    });
  });
});
