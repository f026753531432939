import { TscError } from '../../errors/index.js';
import type { ExecPlan } from '../exec-plan.js';
import { CAPABILITIES, RLIMIT_TYPES, type CapabilitySets, type NamespaceKind } from '../launch-plan.js';
import { escapeField } from './plan-writer.js';

export const EXEC_PLAN_VERSION = 1;

const NAMESPACE_ORDER: readonly NamespaceKind[] = ['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'];
/** The file of each namespace under /proc/<pid>/ns/. */
const NS_FILES: Readonly<Record<NamespaceKind, string>> = { pid: 'pid', mount: 'mnt', uts: 'uts', ipc: 'ipc', net: 'net', cgroup: 'cgroup' };
const CAP_SETS: readonly (keyof CapabilitySets)[] = ['bounding', 'effective', 'permitted', 'inheritable', 'ambient'];

function bad(plan: ExecPlan, what: string): TscError {
  return new TscError('INTERNAL', `exec plan for \`${plan.name}\`: ${what}`, {
    hint: 'the runtime built an exec plan the helper cannot run; this is a bug in tscompose, please report it',
  });
}

/**
 * Validates the plan and renders it in the wire format of src/native/PROTOCOL.md ("Exec"). Namespaces are
 * named by the target's /proc entries; `cgroups` are the directories to join (the plan's, or the target's
 * as the caller resolved them).
 */
export function serializeExecPlan(plan: ExecPlan, cgroups: readonly string[], procRoot = '/proc'): string {
  const lines: string[] = [`tsc-exec ${EXEC_PLAN_VERSION}`, `# exec in container ${escapeField(plan.name)}`];
  const line = (key: string, ...fields: (string | number)[]): void => {
    for (const f of fields) if (typeof f === 'string' && f.includes('\0')) throw bad(plan, `\`${key}\` holds a NUL byte`);
    lines.push([key, ...fields.map((f) => escapeField(String(f)))].join(' '));
  };
  const id = (what: string, value: number): number => {
    if (!Number.isInteger(value) || value < 0 || value >= 0xffffffff) throw bad(plan, `${what} ${value} is not a valid id`);
    return value;
  };
  const { pid, startTime } = plan.target;
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isSafeInteger(startTime) || startTime < 0) throw bad(plan, `bad target ${pid}/${startTime}`);
  line('target', pid, startTime);
  for (const kind of NAMESPACE_ORDER) if (plan.namespaces.includes(kind)) line('namespace', kind, 'path', `${procRoot}/${pid}/ns/${NS_FILES[kind]}`);
  for (const dir of cgroups) {
    if (!dir.startsWith('/')) throw bad(plan, `cgroup directory \`${dir}\` is not an absolute path`);
    line('cgroup', dir);
  }
  for (const r of plan.rlimits) {
    if (!RLIMIT_TYPES.includes(r.type)) throw bad(plan, `unknown rlimit \`${r.type}\``);
    const limit = (v: number | 'unlimited'): string | number => {
      if (v !== 'unlimited' && (!Number.isSafeInteger(v) || v < 0)) throw bad(plan, `${r.type}: bad limit ${v}`);
      return v;
    };
    line('rlimit', r.type, limit(r.soft), limit(r.hard));
  }
  line('user', id('uid', plan.user.uid), id('gid', plan.user.gid));
  line('groups', ...plan.user.additionalGids.map((g) => id('gid', g)));
  if (plan.capabilities !== undefined) {
    for (const set of CAP_SETS) {
      for (const cap of plan.capabilities[set]) if (!CAPABILITIES.includes(cap)) throw bad(plan, `unknown capability \`${cap}\``);
      line('capabilities', set, ...plan.capabilities[set]);
    }
  }
  if (plan.noNewPrivileges) line('no-new-privileges');
  if (plan.umask !== undefined) {
    if (!Number.isInteger(plan.umask) || plan.umask < 0 || plan.umask > 0o777) throw bad(plan, `umask ${plan.umask} is not a valid mode`);
    line('umask', plan.umask.toString(8).padStart(4, '0'));
  }
  if (!plan.cwd.startsWith('/')) throw bad(plan, `cwd \`${plan.cwd}\` is not an absolute path`);
  line('cwd', plan.cwd);
  for (const e of plan.env) {
    if (!e.includes('=')) throw bad(plan, `environment entry \`${e}\` has no \`=\``);
    line('env', e);
  }
  if (plan.args.length === 0) throw bad(plan, 'no command to run');
  for (const a of plan.args) line('arg', a);
  if (plan.tty) line('tty');
  if (plan.detach) line('detach');
  return `${lines.join('\n')}\n`;
}
