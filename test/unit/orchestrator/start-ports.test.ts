import { describe, expect, it } from 'vitest';
import type { PortProbe } from '../../../src/net/ports/port-allocator.js';
import type { PortProtocol } from '../../../src/net/ports/published-port.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { PortBinding } from '../../../src/runtime/supervisor/ports-section.js';
import type { OrchestratorDeps } from '../../../src/orchestrator/orchestrator-deps.js';
import { PortPlans } from '../../../src/orchestrator/published-ports.js';
import type { SupervisorControl } from '../../../src/orchestrator/supervisor-config.js';
import { preflightStartPorts } from '../../../src/orchestrator/supervisor-publisher.js';

/** Host ports taken by someone, with who holds them; `refreshes` counts the supervisor being asked to look again. */
class FakeSupervisor {
  readonly taken = new Map<number, { pid: number; command: string }>();
  readonly probed: number[] = [];
  readonly calls: string[] = [];
  refreshFails = false;

  constructor(private readonly bindings: PortBinding[]) {}

  readonly probe: PortProbe = {
    isFree: (_ip: string, port: number, _protocol: PortProtocol) => {
      this.calls.push(`probe ${port}`);
      this.probed.push(port);
      return Promise.resolve(!this.taken.has(port));
    },
    ephemeral: () => Promise.reject(new Error('no ephemeral port in this test')),
    holder: (_ip: string, port: number) => Promise.resolve(this.taken.get(port)),
  };

  control(): SupervisorControl {
    return {
      apply: () => Promise.reject(new Error('not in this test')),
      stop: () => Promise.resolve(),
      current: (project) => Promise.resolve({ version: 1, project, sections: { ports: { bindings: this.bindings } } }),
      refresh: () => {
        this.calls.push('refresh');
        return this.refreshFails ? Promise.reject(new Error('reload failed')) : Promise.resolve();
      },
      probe: this.probe,
      upstream: 'none',
      plans: new PortPlans(),
    };
  }
}

const binding = (container: string, hostPort: number): PortBinding => ({ container, service: container.split('-')[1] ?? '', hostIp: '127.0.0.1', hostPort, containerPort: 80, protocol: 'tcp', containerIp: '10.0.0.2' });
const container = (name: string, status: ContainerInfo['status']): ContainerInfo => ({ id: `id-${name}`, name, status } as ContainerInfo);
const deps = (control: SupervisorControl): OrchestratorDeps => ({ supervisor: control } as OrchestratorDeps);

describe('preflightStartPorts', () => {
  it('checks the host ports of the stopped containers about to start, after the supervisor let go of them, and names the holder of a taken one', async () => {
    const fake = new FakeSupervisor([binding('p-web-1', 8080), binding('p-web-1', 8443), binding('p-api-1', 9000), binding('p-new-1', 9100)]);
    fake.taken.set(8443, { pid: 4242, command: 'nginx' });
    const error = await preflightStartPorts('p', [container('p-web-1', 'exited'), container('p-api-1', 'running'), container('p-new-1', 'created')], deps(fake.control()))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PORT_IN_USE', message: 'publish 127.0.0.1:8443/tcp for `p-web-1`: it is already in use by pid 4242 (nginx)' });
    // A running container's ports are its own already, a created one's are served already: neither is probed.
    expect(fake.calls).toEqual(['refresh', 'probe 8080', 'probe 8443']);
  });

  it('passes when the ports are free, even when the supervisor could not be asked; costs nothing without stopped containers', async () => {
    const fake = new FakeSupervisor([binding('p-web-1', 8080)]);
    fake.refreshFails = true;
    await expect(preflightStartPorts('p', [container('p-web-1', 'exited')], deps(fake.control()))).resolves.toBeUndefined();
    expect(fake.probed).toEqual([8080]);
    const idle = new FakeSupervisor([binding('p-web-1', 8080)]);
    idle.taken.set(8080, { pid: 1, command: 'tsc-proxy' });
    await expect(preflightStartPorts('p', [container('p-web-1', 'running')], deps(idle.control()))).resolves.toBeUndefined();
    expect(idle.calls).toEqual([]);
  });
});
