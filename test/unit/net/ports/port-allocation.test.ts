import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { allocatePorts, type PortProbe } from '../../../../src/net/ports/port-allocator.js';
import type { PortHolder } from '../../../../src/net/ports/port-holder.js';
import { formatPublishedPort, portRequests, type PortProtocol, type PublishedPort } from '../../../../src/net/ports/published-port.js';
import { SocketPortProbe } from '../../../../src/net/ports/socket-port-probe.js';

/** A probe over a set of busy `proto:port` keys; the kernel hands out ephemeral ports from 40000 up. */
class FakeProbe implements PortProbe {
  probed: string[] = [];
  private nextEphemeral = 40000;
  constructor(private readonly busy: Map<string, PortHolder | undefined> = new Map()) {}
  async isFree(_ip: string, port: number, protocol: PortProtocol): Promise<boolean> {
    this.probed.push(`${protocol}:${port}`);
    return !this.busy.has(`${protocol}:${port}`);
  }
  async ephemeral(): Promise<number> {
    return this.nextEphemeral++;
  }
  async holder(_ip: string, port: number, protocol: PortProtocol): Promise<PortHolder | undefined> {
    return this.busy.get(`${protocol}:${port}`);
  }
}

const summary = (ports: PublishedPort[]): string[] => ports.map((p) => `${p.container} ${formatPublishedPort(p)}`);

describe('portRequests', () => {
  it('defaults the host address, keeps ranges to choose from and reads udp', () => {
    const requests = portRequests('p-web-1', 'web', [
      { target: 80, published: '8080', protocol: 'tcp', mode: 'ingress' },
      { target: 53, host_ip: '127.0.0.1', published: '9000-9010', protocol: 'UDP' },
      { target: 81, protocol: 'tcp' },
      { target: 82, host_ip: '[::1]', published: '0', protocol: 'tcp' },
    ]);
    expect(requests).toEqual([
      { container: 'p-web-1', service: 'web', hostIp: '0.0.0.0', hostPorts: { first: 8080, last: 8080 }, containerPort: 80, protocol: 'tcp' },
      { container: 'p-web-1', service: 'web', hostIp: '127.0.0.1', hostPorts: { first: 9000, last: 9010 }, containerPort: 53, protocol: 'udp' },
      { container: 'p-web-1', service: 'web', hostIp: '0.0.0.0', containerPort: 81, protocol: 'tcp' },
      { container: 'p-web-1', service: 'web', hostIp: '::1', containerPort: 82, protocol: 'tcp' },
    ]);
  });

  it('refuses sctp and a malformed host port with stable codes and the compose path', () => {
    expect(() => portRequests('c', 'web', [{ target: 80, protocol: 'sctp' }])).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', path: 'services.web.ports[0]' }));
    expect(() => portRequests('c', 'web', [{ target: 80, published: '90-80', protocol: 'tcp' }])).toThrow(expect.objectContaining({ code: 'COMPOSE_INVALID', hint: expect.any(String) }));
  });
});

describe('allocatePorts', () => {
  it('publishes pairwise ranges port by port and a range over one port at its first free port', async () => {
    const probe = new FakeProbe(new Map([['tcp:9000', undefined], ['tcp:9001', undefined]]));
    const requests = [
      ...portRequests('p-web-1', 'web', [{ target: 80, published: '8080', protocol: 'tcp' }, { target: 81, published: '8081', protocol: 'tcp' }]),
      ...portRequests('p-api-1', 'api', [{ target: 80, host_ip: '127.0.0.1', published: '9000-9010', protocol: 'tcp' }]),
      ...portRequests('p-api-2', 'api', [{ target: 80, host_ip: '127.0.0.1', published: '9000-9010', protocol: 'tcp' }]),
    ];
    expect(summary(await allocatePorts(requests, probe))).toEqual([
      'p-web-1 0.0.0.0:8080->80/tcp',
      'p-web-1 0.0.0.0:8081->81/tcp',
      'p-api-1 127.0.0.1:9002->80/tcp',
      'p-api-2 127.0.0.1:9003->80/tcp',
    ]);
  });

  it('asks the kernel for a port when none is given, and tcp and udp do not collide', async () => {
    const requests = portRequests('p-dns-1', 'dns', [{ target: 53, protocol: 'udp', published: '5300' }, { target: 53, protocol: 'tcp', published: '5300' }, { target: 8, protocol: 'tcp' }]);
    expect(summary(await allocatePorts(requests, new FakeProbe()))).toEqual([
      'p-dns-1 0.0.0.0:5300->53/udp', 'p-dns-1 0.0.0.0:5300->53/tcp', 'p-dns-1 0.0.0.0:40000->8/tcp',
    ]);
  });

  it('fails with PORT_IN_USE naming the port and its holder', async () => {
    const probe = new FakeProbe(new Map([['tcp:8080', { pid: 4242, command: 'nginx' }]]));
    const requests = portRequests('p-web-1', 'web', [{ target: 80, host_ip: '127.0.0.1', published: '8080', protocol: 'tcp' }]);
    await expect(allocatePorts(requests, probe)).rejects.toMatchObject({
      code: 'PORT_IN_USE',
      message: 'publish 127.0.0.1:8080/tcp for `p-web-1`: it is already in use by pid 4242 (nginx)',
      hint: expect.stringContaining('range'),
    });
  });

  it('fails when the project publishes one host port twice, and when a whole range is busy', async () => {
    const twice = [
      ...portRequests('p-web-1', 'web', [{ target: 80, published: '8080', protocol: 'tcp' }]),
      ...portRequests('p-web-2', 'web', [{ target: 80, host_ip: '127.0.0.1', published: '8080', protocol: 'tcp' }]),
    ];
    await expect(allocatePorts(twice, new FakeProbe())).rejects.toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('published twice') });
    const busy = new FakeProbe(new Map([['udp:7000', undefined], ['udp:7001', undefined]]));
    await expect(allocatePorts(portRequests('c', 's', [{ target: 1, published: '7000-7001', protocol: 'udp' }]), busy))
      .rejects.toMatchObject({ code: 'PORT_IN_USE', message: 'publish 0.0.0.0:7000-7001/udp for `c`: every port of 7000-7001 is in use' });
  });

  it('keeps the ports the project already holds without probing them', async () => {
    const held: PublishedPort[] = [
      { container: 'p-web-1', service: 'web', hostIp: '0.0.0.0', hostPort: 41234, containerPort: 80, protocol: 'tcp' },
      { container: 'p-web-1', service: 'web', hostIp: '0.0.0.0', hostPort: 8080, containerPort: 81, protocol: 'tcp' },
    ];
    // The supervisor holds 8080 and 41234, so a real probe would see them busy.
    const probe = new FakeProbe(new Map([['tcp:8080', undefined], ['tcp:41234', undefined]]));
    const requests = portRequests('p-web-1', 'web', [{ target: 80, protocol: 'tcp' }, { target: 81, published: '8080', protocol: 'tcp' }]);
    expect(summary(await allocatePorts(requests, probe, { held }))).toEqual(['p-web-1 0.0.0.0:41234->80/tcp', 'p-web-1 0.0.0.0:8080->81/tcp']);
    expect(probe.probed).toEqual([]);
  });
});

describe('SocketPortProbe', () => {
  it('finds a port held by a real listener, names this process as its holder, and frees it after', async () => {
    const server: Server = createServer();
    server.listen({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const port = (server.address() as { port: number }).port;
    const probe = new SocketPortProbe();
    try {
      expect(await probe.isFree('127.0.0.1', port, 'tcp')).toBe(false);
      const requests = portRequests('p-web-1', 'web', [{ target: 80, host_ip: '127.0.0.1', published: String(port), protocol: 'tcp' }]);
      const error = await allocatePorts(requests, probe).catch((err: unknown) => err);
      expect(error).toMatchObject({ code: 'PORT_IN_USE', message: `publish 127.0.0.1:${port}/tcp for \`p-web-1\`: it is already in use by pid ${process.pid} (${(await import('node:fs')).readFileSync('/proc/self/comm', 'utf8').trim()})` });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await probe.isFree('127.0.0.1', port, 'tcp')).toBe(true);
    const ephemeral = await probe.ephemeral('127.0.0.1', 'udp');
    expect(ephemeral).toBeGreaterThan(1023);
    expect(await probe.isFree('127.0.0.1', ephemeral, 'udp')).toBe(true);
  });

  it('reports an address that is not on this machine as a KERNEL error, not as a busy port', async () => {
    await expect(new SocketPortProbe().isFree('192.0.2.1', 8080, 'tcp')).rejects.toMatchObject({ code: 'KERNEL', hint: expect.stringContaining('host_ip') });
  });
});
