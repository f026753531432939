import { describe, expect, it } from 'vitest';
import type { ServiceConfig } from '../../../src/compose/model.js';
import type { PortProbe } from '../../../src/net/ports/port-allocator.js';
import type { PublishedPort } from '../../../src/net/ports/published-port.js';
import { oneOffPorts, parsePublish } from '../../../src/orchestrator/one-off-ports.js';
import { mergePlans, planOneOffPorts, portsSection, PortPlans } from '../../../src/orchestrator/published-ports.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';

const web: ServiceConfig = { image: 'web', ports: [{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }] };

describe('run -p', () => {
  it('reads docker short syntax: address, host port or range, container port or range, protocol', () => {
    expect(parsePublish('80')).toEqual([{ mode: 'ingress', target: 80, protocol: 'tcp' }]);
    expect(parsePublish('127.0.0.1:8080:80')).toEqual([{ mode: 'ingress', host_ip: '127.0.0.1', target: 80, published: '8080', protocol: 'tcp' }]);
    expect(parsePublish('9000-9010:80')).toEqual([{ mode: 'ingress', target: 80, published: '9000-9010', protocol: 'tcp' }]);
    expect(parsePublish('[::1]:5353:53/udp')).toEqual([{ mode: 'ingress', host_ip: '::1', target: 53, published: '5353', protocol: 'udp' }]);
    expect(parsePublish('8080-8081:80-81')).toEqual([
      { mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' },
      { mode: 'ingress', target: 81, published: '8081', protocol: 'tcp' },
    ]);
  });

  it('refuses what is not a port with USAGE and a hint', () => {
    for (const bad of ['', 'x', '127.0.0.1:x:80', '1.2.3:80:80', '70000', '8080-8082:80-81', '80/icmp']) {
      expect(() => parsePublish(bad), bad).toThrow(expect.objectContaining({ code: 'USAGE', hint: expect.stringContaining('-p 8080:80') }));
    }
  });
});

describe("the ports of a one-off, by Compose's rule", () => {
  it("publishes the service's own only with --service-ports, those of -p instead when given", () => {
    expect(oneOffPorts(web, {})).toEqual([]);
    expect(oneOffPorts(web, { servicePorts: true })).toEqual(web.ports);
    expect(oneOffPorts(web, { publish: ['9090:80'] })).toEqual([{ mode: 'ingress', target: 80, published: '9090', protocol: 'tcp' }]);
    expect(() => oneOffPorts(web, { publish: ['9090:80'], servicePorts: true })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('planOneOffPorts', () => {
  const free: PortProbe = {
    isFree: async (_ip, port) => port !== 8081,
    ephemeral: async () => 45000,
    holder: async (_ip, port) => (port === 8080 ? { pid: 42, command: 'tsc-proxy' } : { pid: 7, command: 'nginx' }),
  };
  const held: PublishedPort[] = [{ container: 'shop-web-1', service: 'web', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }];

  it('chooses the ports of the one-off container alone, leaving the services to up', async () => {
    const plan = await planOneOffPorts('shop-web-run-1', 'web', [{ mode: 'ingress', target: 80, published: '9000-9002', protocol: 'tcp' }, { mode: 'ingress', target: 53, protocol: 'udp' }], free, held);
    expect(plan).toEqual({
      services: [],
      ports: [
        { container: 'shop-web-run-1', service: 'web', hostIp: '0.0.0.0', hostPort: 9000, containerPort: 80, protocol: 'tcp' },
        { container: 'shop-web-run-1', service: 'web', hostIp: '0.0.0.0', hostPort: 45000, containerPort: 53, protocol: 'udp' },
      ],
    });
  });

  it('counts a port the project publishes as taken, even for its own service, and names the holder', async () => {
    const ownPort = await planOneOffPorts('shop-web-run-1', 'web', web.ports ?? [], free, held).catch((err: unknown) => err);
    expect(ownPort).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('127.0.0.1:8080/tcp for `shop-web-run-1`: it is already in use by pid 42 (tsc-proxy)') });
    const busy = await planOneOffPorts('shop-web-run-1', 'web', [{ mode: 'ingress', target: 80, published: '8081', protocol: 'tcp' }], free, []).catch((err: unknown) => err);
    expect(busy).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('by pid 7 (nginx)') });
  });
});

describe('port plans of up and of one-offs', () => {
  const port = (container: string, service: string, hostPort: number): PublishedPort => ({ container, service, hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp' });
  const container = (name: string, service: string, oneOff = false, status = 'running'): ContainerInfo =>
    ({ name, status, labels: { 'com.docker.compose.project': 'shop', 'com.docker.compose.service': service, ...(oneOff ? { 'com.docker.compose.oneoff': 'True' } : {}) } }) as unknown as ContainerInfo;

  it('lays a later plan over an earlier one: services it covers and containers it names are replaced', () => {
    const up = { services: ['web', 'api'], ports: [port('shop-web-1', 'web', 8080), port('shop-api-1', 'api', 8090)] };
    const again = { services: ['api'], ports: [port('shop-api-1', 'api', 8091)] };
    const oneOff = { services: [], ports: [port('shop-web-run-1', 'web', 9000)] };
    expect(mergePlans(mergePlans(up, oneOff), again)).toEqual({
      services: ['web', 'api'],
      ports: [port('shop-web-1', 'web', 8080), port('shop-web-run-1', 'web', 9000), port('shop-api-1', 'api', 8091)],
    });
    const plans = new PortPlans();
    plans.add('shop', up);
    plans.add('shop', oneOff);
    expect(plans.get('shop')?.ports).toHaveLength(3);
    plans.forget('shop');
    expect(plans.get('shop')).toBeUndefined();
  });

  it("serves a one-off's planned ports next to the service's, keeps a one-off's held ones, and drops a container being removed", () => {
    const plan = { services: ['web'], ports: [port('shop-web-1', 'web', 8080), port('shop-web-run-1', 'web', 9000)] };
    const held = [port('shop-web-run-0', 'web', 9001), port('shop-web-run-2', 'web', 9002), port('shop-web-1', 'web', 7000)];
    const containers = [container('shop-web-1', 'web'), container('shop-web-run-0', 'web', true), container('shop-web-run-1', 'web', true), container('shop-web-run-2', 'web', true, 'removing')];
    expect(portsSection('shop', containers, plan, held, []).bindings.map((b) => `${b.container} ${b.hostPort}`)).toEqual([
      'shop-web-1 8080',
      'shop-web-run-0 9001',
      'shop-web-run-1 9000',
    ]);
  });
});
