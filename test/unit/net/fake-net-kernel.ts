import { rm, writeFile } from 'node:fs/promises';
import type { BridgeRequest, EndpointRequest, HostAddress, HostLink, HostRoute, NetKernel, NetnsSettings } from '../../../src/kernel/net.js';

/** A host held in memory: routes and addresses to avoid, and the links and namespaces made (namespace files are real empty files). */
export class FakeNetKernel implements NetKernel {
  readonly bridges = new Map<string, BridgeRequest>();
  readonly endpoints = new Map<string, EndpointRequest & { netns: string }>();
  readonly netns = new Map<string, NetnsSettings>();
  readonly calls: string[] = [];
  /** Makes the n-th endpoint added fail (1-based), undoing the call's others. */
  failEndpointAt = 0;

  constructor(public hostRoutes: HostRoute[] = [], public hostAddresses: HostAddress[] = [], public foreignLinks: HostLink[] = []) {}

  routes(): Promise<HostRoute[]> {
    return Promise.resolve([...this.hostRoutes, ...[...this.bridges.values()].map((b) => ({ dst: b.address.replace(/\.\d+\//, '.0/'), dev: b.name }))]);
  }

  addresses(): Promise<HostAddress[]> {
    return Promise.resolve([...this.hostAddresses, ...[...this.bridges.values()].map((b) => ({ ifname: b.name, cidr: b.address }))]);
  }

  links(): Promise<HostLink[]> {
    return Promise.resolve([
      ...this.foreignLinks,
      ...[...this.bridges.values()].map((b) => ({ name: b.name, kind: 'bridge', alias: b.alias })),
      ...[...this.endpoints.values()].map((e) => ({ name: e.hostName, kind: 'veth', alias: e.alias })),
    ]);
  }

  createBridge(request: BridgeRequest): Promise<void> {
    this.calls.push(`bridge+ ${request.name}`);
    if ([...this.bridges.keys(), ...this.foreignLinks.map((l) => l.name)].includes(request.name)) return Promise.reject(new Error(`${request.name} exists`));
    this.bridges.set(request.name, request);
    return Promise.resolve();
  }

  deleteLinks(names: readonly string[]): Promise<void> {
    for (const name of names) {
      this.calls.push(`link- ${name}`);
      this.bridges.delete(name);
      this.endpoints.delete(name);
    }
    return Promise.resolve();
  }

  async createNetns(path: string): Promise<void> {
    this.calls.push(`netns+ ${path}`);
    await writeFile(path, '', { flag: 'wx' });
    this.netns.set(path, {});
  }

  async deleteNetns(path: string): Promise<void> {
    this.calls.push(`netns- ${path}`);
    await rm(path, { force: true });
    this.netns.delete(path);
    for (const [name, e] of this.endpoints) if (e.netns === path) this.endpoints.delete(name);
  }

  async addEndpoints(netns: string, endpoints: readonly EndpointRequest[], settings: NetnsSettings): Promise<void> {
    for (const request of endpoints) {
      this.calls.push(`endpoint+ ${request.hostName} ${request.ifname} ${request.address}`);
      const refused = this.failEndpointAt > 0 && --this.failEndpointAt === 0 ? 'veth refused' : !this.bridges.has(request.bridge) ? `no bridge ${request.bridge}` : undefined;
      if (refused !== undefined) {
        await this.deleteLinks(endpoints.map((e) => e.hostName));
        throw new Error(refused);
      }
      this.endpoints.set(request.hostName, { ...request, netns });
    }
    this.netns.set(netns, settings);
  }
}
