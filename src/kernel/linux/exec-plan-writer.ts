import { TscError } from '../../errors/index.js';
import type { ExecPlan } from '../exec-plan.js';
import type { NamespaceKind } from '../launch-plan.js';
import { NAMESPACE_ORDER, PlanRecords, writeProcessRecords } from './plan-records.js';

export const EXEC_PLAN_VERSION = 1;
/** The file of each namespace under /proc/<pid>/ns/. */
const NS_FILES: Readonly<Record<NamespaceKind, string>> = { pid: 'pid', mount: 'mnt', uts: 'uts', ipc: 'ipc', net: 'net', cgroup: 'cgroup' };

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
  const out = new PlanRecords(`tsc-exec ${EXEC_PLAN_VERSION}`, (what) => bad(plan, what));
  out.comment('exec in container', plan.name);
  const { pid, startTime } = plan.target;
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isSafeInteger(startTime) || startTime < 0) throw bad(plan, `bad target ${pid}/${startTime}`);
  out.line('target', pid, startTime);
  for (const kind of NAMESPACE_ORDER) if (plan.namespaces.includes(kind)) out.line('namespace', kind, 'path', `${procRoot}/${pid}/ns/${NS_FILES[kind]}`);
  for (const dir of cgroups) out.line('cgroup', out.abs('cgroup directory', dir));
  writeProcessRecords(out, plan);
  if (plan.tty) out.line('tty');
  if (plan.detach) out.line('detach');
  return out.text();
}
