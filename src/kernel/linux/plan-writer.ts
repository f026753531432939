import { TscError } from '../../errors/index.js';
import { MOUNT_FLAGS, PROPAGATIONS, type LaunchPlan, type RootfsStep } from '../launch-plan.js';
import { NAMESPACE_ORDER, PlanRecords, writeProcessRecords } from './plan-records.js';

export { escapeField } from './plan-records.js';

/** The plan's file name inside the bundle; the helper reads `<bundle>/launch.plan`. */
export const PLAN_FILE = 'launch.plan';
export const PLAN_VERSION = 1;

function bad(plan: LaunchPlan, what: string): TscError {
  return new TscError('INTERNAL', `launch plan of \`${plan.name}\`: ${what}`, {
    hint: 'the runtime built a plan the helper cannot run; this is a bug in tscompose, please report it',
  });
}

/** Validates the plan and renders it in the wire format of src/native/PROTOCOL.md. */
export function serializePlan(plan: LaunchPlan): string {
  const out = new PlanRecords(`tsc-plan ${PLAN_VERSION}`, (what) => bad(plan, what));
  out.comment('container', plan.name);
  for (const kind of NAMESPACE_ORDER) {
    const ns = plan.namespaces[kind];
    if (ns === undefined) continue;
    if (ns.mode === 'new') out.line('namespace', kind, 'new');
    else out.line('namespace', kind, 'path', out.abs(`${kind} namespace`, ns.path));
  }
  for (const dir of plan.cgroups ?? []) out.line('cgroup', out.abs('cgroup directory', dir));
  if (plan.namespaces.mount?.mode !== 'new') throw bad(plan, 'the rootfs needs a new mount namespace');
  if ((plan.hostname !== undefined || plan.domainname !== undefined) && plan.namespaces.uts?.mode !== 'new') {
    throw bad(plan, 'a hostname needs a new uts namespace');
  }
  writeRootfs(plan, out);
  for (const step of plan.steps) writeStep(plan, step, out);
  for (const p of plan.maskedPaths) out.line('masked', out.abs('masked path', p));
  for (const p of plan.readonlyPaths) out.line('readonly', out.abs('read-only path', p));
  if (plan.hostname !== undefined) out.line('hostname', plan.hostname);
  if (plan.domainname !== undefined) out.line('domainname', plan.domainname);
  writeProcessRecords(out, plan);
  out.line('log', out.abs('log file', plan.logFile));
  out.line('exit-file', out.abs('exit file', plan.exitFile));
  writeExtras(plan, out);
  return out.text();
}

function writeRootfs(plan: LaunchPlan, out: PlanRecords): void {
  const { rootfs } = plan;
  out.line('rootfs', out.abs('rootfs', rootfs.path));
  if (rootfs.overlay !== undefined) {
    if (rootfs.overlay.lowerdirs.length === 0) throw bad(plan, 'an overlay rootfs needs at least one lowerdir');
    for (const dir of rootfs.overlay.lowerdirs) out.line('overlay-lower', out.abs('overlay lowerdir', dir));
    out.line('overlay-upper', out.abs('overlay upperdir', rootfs.overlay.upperdir));
    out.line('overlay-work', out.abs('overlay workdir', rootfs.overlay.workdir));
  }
  if (rootfs.propagation !== undefined) {
    if (!PROPAGATIONS.includes(rootfs.propagation)) throw bad(plan, `unknown propagation \`${rootfs.propagation}\``);
    out.line('rootfs-propagation', rootfs.propagation);
  }
  if (rootfs.readonly === true) out.line('readonly-rootfs');
}

function writeStep(plan: LaunchPlan, step: RootfsStep, out: PlanRecords): void {
  switch (step.op) {
    case 'mount': {
      for (const flag of step.flags) {
        if (!MOUNT_FLAGS.includes(flag)) throw bad(plan, `mount \`${step.destination}\`: unknown flag \`${flag}\``);
      }
      if (step.type === 'bind' || step.flags.includes('bind') || step.flags.includes('rbind')) out.abs('bind source', step.source);
      out.line('mount', out.abs('mount destination', step.destination), step.type, step.source, step.flags.join(','), step.data ?? '');
      return;
    }
    case 'device': {
      const dev = (n: number): number => {
        if (!Number.isInteger(n) || n < 0 || n > 0xfffff) throw bad(plan, `device \`${step.path}\`: bad number ${n}`);
        return n;
      };
      out.line('device', out.abs('device', step.path), step.type, dev(step.major), dev(step.minor),
        out.octal('device mode', step.mode), out.id('uid', step.uid), out.id('gid', step.gid));
      return;
    }
    case 'symlink':
      out.line('symlink', step.target, out.abs('symlink', step.path));
      return;
    case 'directory':
      out.line('directory', out.abs('directory', step.path), out.octal('directory mode', step.mode), out.id('uid', step.uid), out.id('gid', step.gid));
      return;
  }
}

const SYSCTL_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+$/;

function writeExtras(plan: LaunchPlan, out: PlanRecords): void {
  if (plan.init === true) out.line('init');
  for (const [key, value] of Object.entries(plan.sysctls ?? {})) {
    if (!SYSCTL_KEY.test(key)) throw bad(plan, `bad sysctl name \`${key}\``);
    out.line('sysctl', key, value);
  }
  const rotation = plan.logRotation;
  if (rotation !== undefined) {
    if (!Number.isSafeInteger(rotation.maxSizeBytes) || rotation.maxSizeBytes <= 0) throw bad(plan, `bad log size ${rotation.maxSizeBytes}`);
    if (!Number.isInteger(rotation.maxFiles) || rotation.maxFiles < 1 || rotation.maxFiles > 1000) throw bad(plan, `bad log file count ${rotation.maxFiles}`);
    out.line('log-max-size', rotation.maxSizeBytes);
    out.line('log-max-files', rotation.maxFiles);
  }
  writeStdio(plan, out);
}

const WINDOW_SIDE_MAX = 65535;

function writeStdio(plan: LaunchPlan, out: PlanRecords): void {
  const { stdin, terminal, attachSocket } = plan;
  if ((stdin !== undefined || terminal !== undefined) !== (attachSocket !== undefined)) {
    throw bad(plan, 'an attach socket goes with stdin or a terminal, and they need one');
  }
  if (stdin !== undefined) {
    if (stdin !== 'open' && stdin !== 'once') throw bad(plan, `unknown stdin mode \`${String(stdin)}\``);
    out.line('stdin', stdin);
  }
  if (terminal !== undefined) {
    out.line('terminal');
    const { rows, columns } = terminal;
    if ((rows === undefined) !== (columns === undefined)) throw bad(plan, 'a terminal size needs both rows and columns');
    if (rows !== undefined && columns !== undefined) {
      for (const n of [rows, columns]) {
        if (!Number.isInteger(n) || n < 1 || n > WINDOW_SIDE_MAX) throw bad(plan, `bad terminal size ${rows}x${columns}`);
      }
      out.line('terminal-size', rows, columns);
    }
  }
  if (attachSocket !== undefined) out.line('attach', out.abs('attach socket', attachSocket));
}
