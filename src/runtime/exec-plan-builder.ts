import { TscError } from '../errors/index.js';
import type { ExecPlan } from '../kernel/exec-plan.js';
import type { NamespaceKind } from '../kernel/launch-plan.js';
import { resolveCapabilities } from './capabilities.js';
import type { ContainerPaths } from './container-paths.js';
import type { ContainerRecord } from './container-record.js';
import { buildEnvironment } from './environment.js';
import type { HostFacts } from './host-facts.js';
import { buildLaunchPlan, hostnameOf } from './launch-plan-builder.js';
import type { ResolvedUser } from './user.js';

/** What an exec asks for beyond the container's own settings. */
export interface ExecRequest {
  readonly args: readonly string[];
  /** `KEY=VALUE`, over the container's environment. */
  readonly env?: readonly string[];
  /** Absolute; default the container's working directory. */
  readonly cwd?: string;
  /** Every capability the host holds, instead of the container's. */
  readonly privileged?: boolean;
  readonly tty?: boolean;
  /** Return once the command started; it keeps running, its output discarded. */
  readonly detach?: boolean;
}

const keyOf = (entry: string): string => entry.slice(0, entry.indexOf('='));

function usage(message: string, hint: string): TscError {
  return new TscError('USAGE', message, { hint });
}

/** The container's environment (HOME of the exec's user unless the container sets it), then `extra` over it. */
function environment(record: ContainerRecord, user: ResolvedUser, extra: readonly string[]): string[] {
  const out = buildEnvironment(record.spec.process.env, hostnameOf(record.spec, record.id), user.home);
  for (const entry of extra) {
    if (entry.indexOf('=') < 1) throw usage(`environment entry "${entry}" is not KEY=VALUE`, 'give each variable as KEY=VALUE');
    const at = out.findIndex((e) => keyOf(e) === keyOf(entry));
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
}

/**
 * The exec plan of a command in a running container, a pure function: the container's namespaces,
 * rlimits, capabilities, no_new_privs, umask, working directory and environment, as its own launch plan
 * has them against the host as it is now; the user, working directory and variables the request names
 * instead; every host capability when privileged. The cgroups are left to the kernel (the target's).
 */
export function buildExecPlan(
  record: ContainerRecord,
  paths: ContainerPaths,
  context: { readonly host: HostFacts; readonly user: ResolvedUser },
  request: ExecRequest,
): ExecPlan {
  if (record.container === undefined) throw new TscError('INTERNAL', `exec in \`${record.name}\`: the container has no process`);
  if (request.args.length === 0 || request.args[0] === '') throw usage('no command given to exec', 'name the command to run in the container');
  const cwd = request.cwd ?? record.spec.process.cwd ?? '/';
  if (!cwd.startsWith('/')) throw usage(`the working directory "${cwd}" is invalid, it needs to be an absolute path`, 'give -w an absolute path');
  const container = buildLaunchPlan(record.spec, paths, { id: record.id, user: record.user, host: context.host });
  const { user } = context;
  return {
    name: record.name,
    dir: paths.bundle,
    target: record.container,
    namespaces: Object.keys(container.namespaces) as NamespaceKind[],
    rlimits: container.rlimits,
    user: { uid: user.uid, gid: user.gid, additionalGids: user.additionalGids },
    capabilities: request.privileged === true ? resolveCapabilities({ privileged: true }, context.host.capabilities) : container.capabilities,
    noNewPrivileges: container.noNewPrivileges,
    ...(container.umask === undefined ? {} : { umask: container.umask }),
    cwd,
    env: environment(record, user, request.env ?? []),
    args: request.args,
    tty: request.tty === true,
    detach: request.detach === true,
  };
}
