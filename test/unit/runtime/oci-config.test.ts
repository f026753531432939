import { describe, expect, it } from 'vitest';
import { serializePlan } from '../../../src/kernel/linux/plan-writer.js';
import { containerPaths } from '../../../src/runtime/container-paths.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';
import { buildLaunchPlan } from '../../../src/runtime/launch-plan-builder.js';
import { buildOciConfig, renderOciConfig } from '../../../src/runtime/oci-config.js';
import { StatePaths } from '../../../src/state/paths.js';
import { HOST } from './runtime-fixture.js';

const ID = 'f'.repeat(64);
const PATHS = containerPaths(new StatePaths({ dataRoot: '/data', runtimeRoot: '/run/t' }), ID);
const USER = { uid: 1000, gid: 1000, additionalGids: [1001], home: '/home/user' };

const SPEC: ContainerSpec = {
  name: 'web-1',
  labels: {},
  image: { reference: 'busybox' },
  rootfs: { path: '/rootfs' },
  readonlyRootfs: true,
  domainname: 'example.org',
  process: { args: ['sh', '-c', 'echo hi'], env: ['A=1'], cwd: '/tmp' },
  mounts: [{ type: 'bind', source: '/srv', target: '/srv', readonly: true }],
  rlimits: [{ type: 'RLIMIT_CORE', soft: 0, hard: 'unlimited' }],
  sysctls: { 'net.ipv4.ip_forward': '1' },
  network: { path: '/run/t/netns/n1' },
  noNewPrivileges: true,
};
const plan = buildLaunchPlan(SPEC, PATHS, { id: ID, user: USER, host: HOST });
const config = buildOciConfig(plan, SPEC);

describe('buildOciConfig', () => {
  it('is an OCI 1.0.2 config of the same process', () => {
    expect(config.ociVersion).toBe('1.0.2');
    expect(config.process).toMatchObject({
      terminal: false,
      user: { uid: 1000, gid: 1000, additionalGids: [1001], umask: 0o022 },
      args: ['sh', '-c', 'echo hi'],
      env: plan.env,
      cwd: '/tmp',
      noNewPrivileges: true,
    });
    expect(config.process.capabilities?.bounding).toEqual([...(plan.capabilities?.bounding ?? [])]);
    expect(config.process.capabilities?.inheritable).toEqual([]);
    expect(config.process.rlimits).toEqual([{ type: 'RLIMIT_CORE', hard: 'unlimited', soft: 0 }, { type: 'RLIMIT_NOFILE', hard: 20_000, soft: 20_000 }]);
  });

  it('says terminal, with its first size, for a container with a tty, as the launch plan does', () => {
    const ttySpec: ContainerSpec = { ...SPEC, tty: true, stdin: 'open', ttySize: { rows: 30, columns: 100 } };
    const ttyPlan = buildLaunchPlan(ttySpec, PATHS, { id: ID, user: USER, host: HOST });
    expect(buildOciConfig(ttyPlan, ttySpec).process).toMatchObject({ terminal: true, consoleSize: { height: 30, width: 100 } });
    expect(config.process.consoleSize).toBeUndefined();
  });

  it('has the same root, hostname, mounts and paths, and leaves default devices to the runtime', () => {
    expect(config.root).toEqual({ path: '/rootfs', readonly: true });
    expect(config.hostname).toBe('ffffffffffff');
    expect(config.mounts.map((m) => m.destination)).toEqual(['/proc', '/dev', '/dev/pts', '/sys', '/dev/mqueue', '/dev/shm', '/srv']);
    expect(config.mounts[1]).toEqual({ destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] });
    expect(config.mounts[6]).toEqual({ destination: '/srv', type: 'bind', source: '/srv', options: ['rbind', 'rprivate', 'ro'] });
    expect(config.linux.devices).toEqual([]);
    expect(config.linux.maskedPaths).toEqual(plan.maskedPaths);
    expect(config.linux.readonlyPaths).toEqual(plan.readonlyPaths);
  });

  it('names namespaces as OCI does, with a path for a joined one', () => {
    expect(config.linux.namespaces).toEqual([{ type: 'pid' }, { type: 'mount' }, { type: 'ipc' }, { type: 'cgroup' }, { type: 'uts' }, { type: 'network', path: '/run/t/netns/n1' }]);
  });

  it('carries sysctls and the domainname as kernel.domainname', () => {
    expect(config.linux.sysctl).toEqual({ 'net.ipv4.ip_forward': '1', 'kernel.domainname': 'example.org' });
  });

  it('carries the resource limits as linux.resources, and none when the spec has none', () => {
    const resources = { memoryBytes: 64 << 20, memorySwapBytes: 'unlimited', cpus: 0.5, cpuShares: 512, cpuset: '0', pids: 20 } as const;
    expect(buildOciConfig(plan, { ...SPEC, resources }).linux.resources).toEqual({
      memory: { limit: 64 << 20, swap: -1 }, cpu: { shares: 512, quota: 50_000, period: 100_000, cpus: '0' }, pids: { limit: 20 },
    });
    expect(buildOciConfig(plan, { ...SPEC, resources: { pids: 'unlimited' } }).linux.resources).toEqual({ pids: { limit: -1 } });
    expect(config.linux.resources).toBeUndefined();
    expect(buildOciConfig(plan, { ...SPEC, resources: {} }).linux.resources).toBeUndefined();
  });

  it('names an overlay root by its mount point and records the layers in an annotation', () => {
    const overlay = { lowerdirs: ['/l'], upperdir: '/u', workdir: '/w' };
    const p = buildLaunchPlan({ ...SPEC, rootfs: { path: '/m', overlay } }, PATHS, { id: ID, user: USER, host: HOST });
    const c = buildOciConfig(p, SPEC);
    expect(c.root.path).toBe('/m');
    expect(JSON.parse(c.annotations['org.tscompose.rootfs.overlay'] ?? '')).toEqual(overlay);
  });

  it('writes unlimited rlimits as RLIM_INFINITY, a uint64 JSON number', () => {
    const text = renderOciConfig(config);
    expect(text).toContain('"hard": 18446744073709551615');
    expect(text).not.toContain('unlimited');
    expect(() => JSON.parse(text)).not.toThrow();
    expect(JSON.parse(text).process.rlimits[1]).toEqual({ type: 'RLIMIT_NOFILE', hard: 20_000, soft: 20_000 });
  });

  it('comes from a plan the native helper accepts', () => {
    expect(serializePlan(plan)).toMatch(/^tsc-plan 1\n/);
    const text = serializePlan(buildLaunchPlan({ ...SPEC, capabilities: { privileged: true } }, PATHS, { id: ID, user: USER, host: HOST }));
    expect(text).toContain('capabilities bounding');
  });
});
