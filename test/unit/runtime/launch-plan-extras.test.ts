import { describe, expect, it } from 'vitest';
import { TscError } from '../../../src/errors/index.js';
import { containerPaths } from '../../../src/runtime/container-paths.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { buildLaunchPlan, type PlanContext } from '../../../src/runtime/launch-plan-builder.js';
import { buildOciConfig } from '../../../src/runtime/oci-config.js';
import { StatePaths } from '../../../src/state/paths.js';
import { HOST } from './runtime-fixture.js';

const ID = `fedcba987654${'3'.repeat(52)}`;
const PATHS = containerPaths(new StatePaths({ dataRoot: '/data', runtimeRoot: '/run/t' }), ID);
const CONTEXT: PlanContext = { id: ID, user: { uid: 0, gid: 0, additionalGids: [], home: '/root' }, host: HOST };
const spec = (overrides: Partial<ContainerSpec> = {}): ContainerSpec => ({
  name: 'proj-db-1', labels: {}, image: { reference: 'db' }, rootfs: { path: '/data/rootfs' }, process: { args: ['db'] }, ...overrides,
});

describe('launch plan: init, sysctls, log rotation, cgroup namespace', () => {
  it('asks for an init only when the spec does', () => {
    expect(buildLaunchPlan(spec({ init: true }), PATHS, CONTEXT).init).toBe(true);
    expect(buildLaunchPlan(spec({ init: false }), PATHS, CONTEXT).init).toBeUndefined();
    expect(buildLaunchPlan(spec(), PATHS, CONTEXT).init).toBeUndefined();
  });

  it('carries the checked sysctls into the plan and the OCI config, in dotted form', () => {
    const s = spec({ sysctls: { 'net/ipv4/ip_forward': '1', 'kernel.shmmax': '4096' } });
    const plan = buildLaunchPlan(s, PATHS, CONTEXT);
    expect(plan.sysctls).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '4096' });
    expect(buildOciConfig(plan, s).linux.sysctl).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.shmmax': '4096' });
    expect(buildLaunchPlan(spec(), PATHS, CONTEXT).sysctls).toBeUndefined();
  });

  it('refuses at plan time a sysctl the container may not set', () => {
    expect(() => buildLaunchPlan(spec({ sysctls: { 'net.ipv4.ip_forward': '1' }, network: 'host' }), PATHS, CONTEXT)).toThrow(TscError);
    try {
      buildLaunchPlan(spec({ sysctls: { 'kernel.panic': '1' } }), PATHS, CONTEXT);
    } catch (err) {
      expect((err as TscError).code).toBe('SYSCTL_NOT_ALLOWED');
    }
  });

  it('rotates the log at 10 MiB × 3 unless the spec says otherwise', () => {
    expect(buildLaunchPlan(spec(), PATHS, CONTEXT).logRotation).toEqual({ maxSizeBytes: 10 * 1024 * 1024, maxFiles: 3 });
    expect(buildLaunchPlan(spec({ log: { maxSizeBytes: 1000, maxFiles: 7 } }), PATHS, CONTEXT).logRotation).toEqual({ maxSizeBytes: 1000, maxFiles: 7 });
    expect(buildLaunchPlan(spec({ log: { maxSizeBytes: 0 } }), PATHS, CONTEXT).logRotation).toBeUndefined();
  });

  it('gives a cgroup namespace of its own, with the host network too', () => {
    expect(buildLaunchPlan(spec({ network: 'host' }), PATHS, CONTEXT).namespaces.cgroup).toEqual({ mode: 'new' });
  });
});
