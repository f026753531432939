import { CFS_PERIOD_US, cpuQuotaUs, type CgroupLimits } from '../cgroups/cgroup-limits.js';
import type { CapabilitySets, DeviceStep, LaunchPlan, NamespaceKind, Rlimit } from '../kernel/launch-plan.js';
import type { ContainerSpec } from './container-spec.js';

export const OCI_VERSION = '1.0.2';

/** The parts of the OCI runtime `config.json` (v1.0.2) the runtime writes. */
export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    consoleSize?: { height: number; width: number };
    user: { uid: number; gid: number; umask?: number; additionalGids?: number[] };
    args: string[];
    env: string[];
    cwd: string;
    capabilities?: { bounding: string[]; effective: string[]; permitted: string[]; inheritable: string[]; ambient: string[] };
    rlimits: { type: string; hard: number | 'unlimited'; soft: number | 'unlimited' }[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname?: string;
  mounts: { destination: string; type: string; source: string; options: string[] }[];
  annotations: Record<string, string>;
  linux: {
    namespaces: { type: string; path?: string }[];
    devices: { path: string; type: string; major: number; minor: number; fileMode: number; uid: number; gid: number }[];
    maskedPaths: string[];
    readonlyPaths: string[];
    sysctl: Record<string, string>;
    rootfsPropagation?: string;
    resources?: OciResources;
  };
}

/** `linux.resources` of the OCI config; memory.swap is memory plus swap, -1 for unlimited, as in the spec. */
export interface OciResources {
  memory?: { limit: number; swap?: number };
  cpu?: { shares?: number; quota?: number; period?: number; cpus?: string };
  pids?: { limit: number };
}

/** The container's limits as OCI `linux.resources`; undefined when it has none. */
export function ociResources(limits: CgroupLimits | undefined): OciResources | undefined {
  if (limits === undefined) return undefined;
  const out: OciResources = {};
  const { memoryBytes: memory, memorySwapBytes: swap } = limits;
  if (memory !== undefined) out.memory = { limit: memory, ...(swap === undefined ? {} : { swap: swap === 'unlimited' ? -1 : swap }) };
  const cpu = {
    ...(limits.cpuShares === undefined ? {} : { shares: limits.cpuShares }),
    ...(limits.cpus === undefined ? {} : { quota: cpuQuotaUs(limits.cpus), period: CFS_PERIOD_US }),
    ...(limits.cpuset === undefined ? {} : { cpus: limits.cpuset }),
  };
  if (Object.keys(cpu).length > 0) out.cpu = cpu;
  if (limits.pids !== undefined) out.pids = { limit: limits.pids === 'unlimited' ? -1 : limits.pids };
  return Object.keys(out).length === 0 ? undefined : out;
}

const OCI_NAMESPACE: Record<NamespaceKind, string> = { pid: 'pid', mount: 'mount', uts: 'uts', ipc: 'ipc', net: 'network', cgroup: 'cgroup' };

/** The devices an OCI runtime creates by itself in every container. */
const RUNTIME_DEVICES = new Set(['/dev/null', '/dev/zero', '/dev/full', '/dev/random', '/dev/urandom', '/dev/tty']);

const capabilitiesOf = (c: CapabilitySets): NonNullable<OciConfig['process']['capabilities']> => ({
  bounding: [...c.bounding], effective: [...c.effective], permitted: [...c.permitted], inheritable: [...c.inheritable], ambient: [...c.ambient],
});

const rlimitOf = (r: Rlimit): OciConfig['process']['rlimits'][number] => ({ type: r.type, hard: r.hard, soft: r.soft });

/**
 * The container as an OCI runtime config: the launch plan's process, root, mounts, namespaces, masked
 * and read-only paths, plus the spec's sysctls (the domainname travels as `kernel.domainname`, as 1.0.2
 * has no field for it) and resource limits (`cgroupsPath` is left to the runtime that runs it). Devices
 * and /dev links that every OCI runtime makes are left to it. An overlay root is named by its mount
 * point, `root.path`: it must be mounted there before another runtime runs it.
 */
export function buildOciConfig(plan: LaunchPlan, spec: Pick<ContainerSpec, 'sysctls' | 'resources'>): OciConfig {
  const devices = plan.steps.filter((s): s is DeviceStep => s.op === 'device' && !RUNTIME_DEVICES.has(s.path));
  const sysctl: Record<string, string> = { ...(plan.sysctls ?? spec.sysctls) };
  if (plan.domainname !== undefined) sysctl['kernel.domainname'] = plan.domainname;
  const user = plan.user ?? { uid: 0, gid: 0, additionalGids: [] };
  const annotations: Record<string, string> = { 'org.tscompose.container.name': plan.name };
  const resources = ociResources(spec.resources);
  if (plan.rootfs.overlay !== undefined) {
    annotations['org.tscompose.rootfs.overlay'] = JSON.stringify(plan.rootfs.overlay);
  }
  return {
    ociVersion: OCI_VERSION,
    process: {
      terminal: plan.terminal !== undefined,
      ...(plan.terminal?.rows === undefined || plan.terminal.columns === undefined ? {} : { consoleSize: { height: plan.terminal.rows, width: plan.terminal.columns } }),
      user: {
        uid: user.uid, gid: user.gid,
        ...(plan.umask === undefined ? {} : { umask: plan.umask }),
        ...(user.additionalGids.length === 0 ? {} : { additionalGids: [...user.additionalGids] }),
      },
      args: [...plan.args],
      env: [...plan.env],
      cwd: plan.cwd,
      ...(plan.capabilities === undefined ? {} : { capabilities: capabilitiesOf(plan.capabilities) }),
      rlimits: plan.rlimits.map(rlimitOf),
      noNewPrivileges: plan.noNewPrivileges,
    },
    root: { path: plan.rootfs.path, readonly: plan.rootfs.readonly === true },
    ...(plan.hostname === undefined ? {} : { hostname: plan.hostname }),
    mounts: plan.steps.flatMap((s) => (s.op !== 'mount' ? [] : [{
      destination: s.destination, type: s.type, source: s.source,
      options: [...s.flags, ...(s.data === undefined || s.data === '' ? [] : s.data.split(','))],
    }])),
    annotations,
    linux: {
      namespaces: (Object.keys(plan.namespaces) as NamespaceKind[]).flatMap((kind) => {
        const ns = plan.namespaces[kind];
        if (ns === undefined) return [];
        return [ns.mode === 'path' ? { type: OCI_NAMESPACE[kind], path: ns.path } : { type: OCI_NAMESPACE[kind] }];
      }),
      devices: devices.map((d) => ({ path: d.path, type: d.type, major: d.major, minor: d.minor, fileMode: d.mode, uid: d.uid, gid: d.gid })),
      maskedPaths: [...plan.maskedPaths],
      readonlyPaths: [...plan.readonlyPaths],
      sysctl,
      ...(plan.rootfs.propagation === undefined ? {} : { rootfsPropagation: plan.rootfs.propagation }),
      ...(resources === undefined ? {} : { resources }),
    },
  };
}

/** 2^64 - 1, RLIM_INFINITY as a uint64: beyond what a JSON number in JavaScript holds exactly. */
const RLIM_INFINITY = '18446744073709551615';

/** The config as JSON text; an `unlimited` rlimit is written as RLIM_INFINITY. */
export function renderOciConfig(config: OciConfig): string {
  const text = JSON.stringify(config, (key, value: unknown) =>
    (key === 'hard' || key === 'soft') && value === 'unlimited' ? '\u0000RLIM_INFINITY\u0000' : value, 2);
  return `${text.replaceAll('"\\u0000RLIM_INFINITY\\u0000"', RLIM_INFINITY)}\n`;
}
