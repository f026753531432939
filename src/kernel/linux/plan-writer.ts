import { TscError } from '../../errors/index.js';
import {
  CAPABILITIES, MOUNT_FLAGS, PROPAGATIONS, RLIMIT_TYPES,
  type CapabilitySets, type LaunchPlan, type NamespaceKind, type RootfsStep,
} from '../launch-plan.js';

/** The plan's file name inside the bundle; the helper reads `<bundle>/launch.plan`. */
export const PLAN_FILE = 'launch.plan';
export const PLAN_VERSION = 1;

const NAMESPACE_ORDER: readonly NamespaceKind[] = ['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'];
const CAP_SETS: readonly (keyof CapabilitySets)[] = ['bounding', 'effective', 'permitted', 'inheritable', 'ambient'];
const ESCAPES: Record<string, string> = { '\\': '\\\\', ' ': '\\s', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** One field of the wire format: `-` stands for the empty string, `\-` for a lone dash. */
export function escapeField(value: string): string {
  if (value === '') return '-';
  if (value === '-') return '\\-';
  return value.replace(/[\\ \n\t\r]/g, (c) => ESCAPES[c] ?? c);
}

function bad(plan: LaunchPlan, what: string): TscError {
  return new TscError('INTERNAL', `launch plan of \`${plan.name}\`: ${what}`, {
    hint: 'the runtime built a plan the helper cannot run; this is a bug in tscompose, please report it',
  });
}

/** Validates the plan and renders it in the wire format of src/native/PROTOCOL.md. */
export function serializePlan(plan: LaunchPlan): string {
  const lines: string[] = ['tsc-plan 1', `# container ${escapeField(plan.name)}`];
  const line = (key: string, ...fields: (string | number)[]): void => {
    for (const f of fields) if (typeof f === 'string' && f.includes('\0')) throw bad(plan, `\`${key}\` holds a NUL byte`);
    lines.push([key, ...fields.map((f) => escapeField(String(f)))].join(' '));
  };
  const abs = (what: string, path: string): string => {
    if (!path.startsWith('/')) throw bad(plan, `${what} \`${path}\` is not an absolute path`);
    return path;
  };

  for (const kind of NAMESPACE_ORDER) {
    const ns = plan.namespaces[kind];
    if (ns === undefined) continue;
    if (ns.mode === 'new') line('namespace', kind, 'new');
    else line('namespace', kind, 'path', abs(`${kind} namespace`, ns.path));
  }
  for (const dir of plan.cgroups ?? []) line('cgroup', abs('cgroup directory', dir));
  if (plan.namespaces.mount?.mode !== 'new') throw bad(plan, 'the rootfs needs a new mount namespace');
  if ((plan.hostname !== undefined || plan.domainname !== undefined) && plan.namespaces.uts?.mode !== 'new') {
    throw bad(plan, 'a hostname needs a new uts namespace');
  }
  writeRootfs(plan, line, abs);
  for (const step of plan.steps) writeStep(plan, step, line, abs);
  for (const p of plan.maskedPaths) line('masked', abs('masked path', p));
  for (const p of plan.readonlyPaths) line('readonly', abs('read-only path', p));
  if (plan.hostname !== undefined) line('hostname', plan.hostname);
  if (plan.domainname !== undefined) line('domainname', plan.domainname);
  writeProcess(plan, line, abs);
  return `${lines.join('\n')}\n`;
}

type Line = (key: string, ...fields: (string | number)[]) => void;
type Abs = (what: string, path: string) => string;

function writeRootfs(plan: LaunchPlan, line: Line, abs: Abs): void {
  const { rootfs } = plan;
  line('rootfs', abs('rootfs', rootfs.path));
  if (rootfs.overlay !== undefined) {
    if (rootfs.overlay.lowerdirs.length === 0) throw bad(plan, 'an overlay rootfs needs at least one lowerdir');
    for (const dir of rootfs.overlay.lowerdirs) line('overlay-lower', abs('overlay lowerdir', dir));
    line('overlay-upper', abs('overlay upperdir', rootfs.overlay.upperdir));
    line('overlay-work', abs('overlay workdir', rootfs.overlay.workdir));
  }
  if (rootfs.propagation !== undefined) {
    if (!PROPAGATIONS.includes(rootfs.propagation)) throw bad(plan, `unknown propagation \`${rootfs.propagation}\``);
    line('rootfs-propagation', rootfs.propagation);
  }
  if (rootfs.readonly === true) line('readonly-rootfs');
}

function id(plan: LaunchPlan, what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value >= 0xffffffff) throw bad(plan, `${what} ${value} is not a valid id`);
  return value;
}

function octal(plan: LaunchPlan, what: string, mode: number): string {
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw bad(plan, `${what} ${mode} is not a valid mode`);
  return mode.toString(8).padStart(4, '0');
}

function writeStep(plan: LaunchPlan, step: RootfsStep, line: Line, abs: Abs): void {
  switch (step.op) {
    case 'mount': {
      for (const flag of step.flags) {
        if (!MOUNT_FLAGS.includes(flag)) throw bad(plan, `mount \`${step.destination}\`: unknown flag \`${flag}\``);
      }
      if (step.type === 'bind' || step.flags.includes('bind') || step.flags.includes('rbind')) abs('bind source', step.source);
      line('mount', abs('mount destination', step.destination), step.type, step.source, step.flags.join(','), step.data ?? '');
      return;
    }
    case 'device': {
      const dev = (n: number): number => {
        if (!Number.isInteger(n) || n < 0 || n > 0xfffff) throw bad(plan, `device \`${step.path}\`: bad number ${n}`);
        return n;
      };
      line('device', abs('device', step.path), step.type, dev(step.major), dev(step.minor),
        octal(plan, 'device mode', step.mode), id(plan, 'uid', step.uid), id(plan, 'gid', step.gid));
      return;
    }
    case 'symlink':
      line('symlink', step.target, abs('symlink', step.path));
      return;
    case 'directory':
      line('directory', abs('directory', step.path), octal(plan, 'directory mode', step.mode), id(plan, 'uid', step.uid), id(plan, 'gid', step.gid));
      return;
  }
}

function writeProcess(plan: LaunchPlan, line: Line, abs: Abs): void {
  for (const r of plan.rlimits) {
    if (!RLIMIT_TYPES.includes(r.type)) throw bad(plan, `unknown rlimit \`${r.type}\``);
    const limit = (v: number | 'unlimited'): string | number => {
      if (v !== 'unlimited' && (!Number.isSafeInteger(v) || v < 0)) throw bad(plan, `${r.type}: bad limit ${v}`);
      return v;
    };
    line('rlimit', r.type, limit(r.soft), limit(r.hard));
  }
  if (plan.user !== undefined) {
    line('user', id(plan, 'uid', plan.user.uid), id(plan, 'gid', plan.user.gid));
    line('groups', ...plan.user.additionalGids.map((g) => id(plan, 'gid', g)));
  }
  if (plan.capabilities !== undefined) {
    for (const set of CAP_SETS) {
      const caps = plan.capabilities[set];
      for (const cap of caps) if (!CAPABILITIES.includes(cap)) throw bad(plan, `unknown capability \`${cap}\``);
      line('capabilities', set, ...caps);
    }
  }
  if (plan.noNewPrivileges) line('no-new-privileges');
  if (plan.umask !== undefined) line('umask', octal(plan, 'umask', plan.umask));
  line('cwd', abs('cwd', plan.cwd));
  for (const e of plan.env) {
    if (!e.includes('=')) throw bad(plan, `environment entry \`${e}\` has no \`=\``);
    line('env', e);
  }
  if (plan.args.length === 0) throw bad(plan, 'no command to run');
  for (const a of plan.args) line('arg', a);
  line('log', abs('log file', plan.logFile));
  line('exit-file', abs('exit file', plan.exitFile));
  writeExtras(plan, line);
}

const SYSCTL_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

function writeExtras(plan: LaunchPlan, line: Line): void {
  if (plan.init === true) line('init');
  for (const [key, value] of Object.entries(plan.sysctls ?? {})) {
    if (!SYSCTL_KEY.test(key)) throw bad(plan, `bad sysctl name \`${key}\``);
    line('sysctl', key, value);
  }
  const rotation = plan.logRotation;
  if (rotation !== undefined) {
    if (!Number.isSafeInteger(rotation.maxSizeBytes) || rotation.maxSizeBytes <= 0) throw bad(plan, `bad log size ${rotation.maxSizeBytes}`);
    if (!Number.isInteger(rotation.maxFiles) || rotation.maxFiles < 1 || rotation.maxFiles > 1000) throw bad(plan, `bad log file count ${rotation.maxFiles}`);
    line('log-max-size', rotation.maxSizeBytes);
    line('log-max-files', rotation.maxFiles);
  }
}
