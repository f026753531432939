import { checkCgroupLimits } from '../cgroups/cgroup-limits.js';
import type { LaunchPlan, NamespaceKind, NamespaceSetting, RootfsStep } from '../kernel/launch-plan.js';
import { stdioPlanOf } from './attach-socket.js';
import { resolveCapabilities } from './capabilities.js';
import type { ContainerPaths } from './container-paths.js';
import { shortId } from './container-id.js';
import type { ContainerSpec } from './container-spec.js';
import { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, defaultSteps } from './default-mounts.js';
import { buildEnvironment } from './environment.js';
import type { HostFacts } from './host-facts.js';
import { logRotationOf } from './log-rotation.js';
import { resolveRlimits } from './rlimits.js';
import { specError } from './spec-error.js';
import { checkSysctls } from './sysctls.js';
import type { ResolvedUser } from './user.js';
import { mountStep } from './user-mounts.js';

/** The default umask of a container's process, as runc's. */
export const DEFAULT_UMASK = 0o022;

/** What create() resolved for a spec, beside the spec itself. */
export interface PlanContext {
  readonly id: string;
  readonly user: ResolvedUser;
  readonly host: HostFacts;
}

/** The hostname the container gets: the spec's, else its short id; none (the host's) with the host network. */
export function hostnameOf(spec: ContainerSpec, id: string): string | undefined {
  if (spec.hostname !== undefined) return spec.hostname;
  return spec.network === 'host' ? undefined : shortId(id);
}

function namespacesOf(spec: ContainerSpec, hostname: string | undefined): Partial<Record<NamespaceKind, NamespaceSetting>> {
  // A cgroup namespace of its own, made after the process joined its cgroups: /proc/self/cgroup shows `/`.
  const out: Partial<Record<NamespaceKind, NamespaceSetting>> = {
    pid: { mode: 'new' }, mount: { mode: 'new' }, ipc: { mode: 'new' }, cgroup: { mode: 'new' },
  };
  if (hostname !== undefined || spec.domainname !== undefined) out.uts = { mode: 'new' };
  const net = spec.network ?? 'none';
  if (net === 'none') out.net = { mode: 'new' };
  else if (net !== 'host') out.net = { mode: 'path', path: net.path };
  return out;
}

function stepsOf(spec: ContainerSpec, privileged: boolean): RootfsStep[] {
  const own = (spec.mounts ?? []).map(mountStep);
  const taken = new Set(own.map((m) => m.destination.replace(/\/+$/, '') || '/'));
  const defaults = defaultSteps({ privileged }).filter((s) => s.op !== 'mount' || !taken.has(s.destination));
  return [...defaults, ...own];
}

function checkProcess(spec: ContainerSpec): void {
  if (spec.process.args.length === 0 || spec.process.args[0] === '') {
    throw specError('no command specified', 'give the container a command, or use an image that has one');
  }
  const cwd = spec.process.cwd ?? '/';
  if (!cwd.startsWith('/')) throw specError(`working directory "${cwd}" is not an absolute path`, 'the working directory must start with /');
}

/**
 * The launch plan of a container: a pure function of its spec, the user and id create() resolved, the
 * host's limits and where its files live. Docker's defaults throughout: new pid, mount, ipc and uts
 * namespaces; its default mounts, devices, masked and read-only paths (none of those when privileged);
 * its 14 capabilities; PATH, HOSTNAME and HOME in the environment; the short id as hostname.
 */
export function buildLaunchPlan(spec: ContainerSpec, paths: ContainerPaths, context: PlanContext): LaunchPlan {
  checkProcess(spec);
  checkCgroupLimits(spec.resources ?? {});
  const privileged = spec.capabilities?.privileged === true;
  const hostname = hostnameOf(spec, context.id);
  const { user } = context;
  const sysctls = checkSysctls(spec.name, spec.sysctls ?? {}, spec.network);
  const logRotation = logRotationOf(spec);
  return {
    name: spec.name,
    bundle: paths.bundle,
    namespaces: namespacesOf(spec, hostname),
    rootfs: { ...spec.rootfs, readonly: spec.readonlyRootfs === true },
    steps: stepsOf(spec, privileged),
    maskedPaths: privileged ? [] : DEFAULT_MASKED_PATHS,
    readonlyPaths: privileged ? [] : DEFAULT_READONLY_PATHS,
    ...(hostname === undefined ? {} : { hostname }),
    ...(spec.domainname === undefined ? {} : { domainname: spec.domainname }),
    rlimits: resolveRlimits(spec.rlimits, context.host),
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    capabilities: resolveCapabilities(spec.capabilities, context.host.capabilities),
    noNewPrivileges: spec.noNewPrivileges === true,
    umask: spec.process.umask ?? DEFAULT_UMASK,
    cwd: spec.process.cwd ?? '/',
    env: buildEnvironment(spec.process.env, hostname, user.home),
    args: spec.process.args,
    logFile: paths.logFile,
    exitFile: paths.exitFile,
    ...(spec.init === true ? { init: true } : {}),
    ...(Object.keys(sysctls).length === 0 ? {} : { sysctls }),
    ...(logRotation === undefined ? {} : { logRotation }),
    ...stdioPlanOf(spec, paths),
  };
}
