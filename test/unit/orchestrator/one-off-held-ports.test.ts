import { describe, expect, it } from 'vitest';
import type { PortProbe } from '../../../src/net/ports/port-allocator.js';
import { planOneOff } from '../../../src/orchestrator/one-off-ports.js';
import type { OrchestratorDeps } from '../../../src/orchestrator/orchestrator-deps.js';
import { heldBindings, PortPlans } from '../../../src/orchestrator/published-ports.js';
import type { SupervisorControl } from '../../../src/orchestrator/supervisor-config.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { PortBinding } from '../../../src/runtime/supervisor/ports-section.js';

// A one-off's host ports are chosen against the ports held now: those of containers that exited
// (a one-off run without --rm, a stopped service) are free again, as with Docker.

const binding = (container: string, hostPort: number): PortBinding => ({ container, service: 'web', hostIp: '127.0.0.1', hostPort, containerPort: 8080, protocol: 'tcp', containerIp: '10.0.0.2' });
const container = (name: string, status: ContainerInfo['status']): ContainerInfo => ({ id: `id-${name}`, name, status, labels: {} }) as unknown as ContainerInfo;

describe('heldBindings', () => {
  it('keeps the bindings of created, running and paused containers, not of exited or gone ones', () => {
    const bindings = [binding('p-web-1', 1), binding('p-web-run-a', 2), binding('p-web-run-b', 3), binding('p-db-1', 4), binding('p-gone-1', 5), binding('p-new-1', 6), binding('p-old-1', 7)];
    const containers = [container('p-web-1', 'running'), container('p-web-run-a', 'exited'), container('p-web-run-b', 'paused'), container('p-db-1', 'removing'), container('p-new-1', 'created'), container('p-old-1', 'exited')];
    expect(heldBindings(bindings, containers).map((b) => b.hostPort)).toEqual([1, 3, 6]);
  });
});

/** A project whose supervisor config lists `bindings`, on a machine where the probe finds `busy` taken. */
function world(bindings: PortBinding[], containers: ContainerInfo[], busy: number[]): { deps: OrchestratorDeps; calls: string[] } {
  const calls: string[] = [];
  const probe: PortProbe = {
    isFree: (_ip, port) => {
      calls.push(`probe ${port}`);
      return Promise.resolve(!busy.includes(port));
    },
    ephemeral: () => Promise.reject(new Error('no ephemeral port in this test')),
    holder: () => Promise.resolve({ pid: 4242, command: 'tsc-proxy' }),
  };
  const control: SupervisorControl = {
    apply: () => Promise.reject(new Error('not in this test')),
    stop: () => Promise.resolve(),
    current: (project) => Promise.resolve({ version: 1, project, sections: { ports: { bindings } } }),
    refresh: () => {
      calls.push('refresh');
      return Promise.resolve();
    },
    probe, upstream: 'none', plans: new PortPlans(),
  };
  const runtime = { list: () => Promise.resolve(containers) };
  return { deps: { supervisor: control, runtime } as unknown as OrchestratorDeps, calls };
}

const publish = (port: number) => ({ image: 'web', ports: [{ mode: 'ingress' as const, host_ip: '127.0.0.1', target: 8080, published: String(port), protocol: 'tcp' as const }] });

describe('planOneOff', () => {
  it("takes the port of a one-off that exited, after asking the supervisor to let go of it", async () => {
    const { deps, calls } = world([binding('p-web-run-a', 9000)], [container('p-web-run-a', 'exited')], []);
    const plan = await planOneOff('p', 'web', publish(9000), 'p-web-run-b', deps);
    expect(plan).toEqual({ services: [], ports: [{ container: 'p-web-run-b', service: 'web', hostIp: '127.0.0.1', hostPort: 9000, containerPort: 8080, protocol: 'tcp' }] });
    expect(calls).toEqual(['refresh', 'probe 9000']);
  });

  it('still counts the port of a running container as taken, and asks nothing of the supervisor then', async () => {
    const { deps, calls } = world([binding('p-web-run-a', 9000)], [container('p-web-run-a', 'running')], []);
    const error = await planOneOff('p', 'web', publish(9000), 'p-web-run-b', deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('127.0.0.1:9000/tcp for `p-web-run-b`') });
    expect(calls).not.toContain('refresh');
  });

  it('names the holder when the port an exited container had is taken by someone else since', async () => {
    const { deps, calls } = world([binding('p-web-run-a', 9000)], [container('p-web-run-a', 'exited')], [9000]);
    const error = await planOneOff('p', 'web', publish(9000), 'p-web-run-b', deps).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PORT_IN_USE', message: expect.stringContaining('by pid 4242 (tsc-proxy)') });
    expect(calls).toEqual(['refresh', 'probe 9000']);
  });
});
