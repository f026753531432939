/**
 * What the launch plan writer and the exec plan writer share: the field escaping and record lines of the
 * wire format (src/native/PROTOCOL.md), and the process records both plans end with.
 */
import type { TscError } from '../../errors/index.js';
import { CAPABILITIES, RLIMIT_TYPES, type CapabilitySets, type NamespaceKind, type ProcessSettings, type ProcessUser } from '../launch-plan.js';

/** The order both plans write their namespace records in. */
export const NAMESPACE_ORDER: readonly NamespaceKind[] = ['pid', 'mount', 'uts', 'ipc', 'net', 'cgroup'];

const ESCAPES: Record<string, string> = { '\\': '\\\\', ' ': '\\s', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
const CAP_SETS: readonly (keyof CapabilitySets)[] = ['bounding', 'effective', 'permitted', 'inheritable', 'ambient'];

/** One field of the wire format: `-` stands for the empty string, `\-` for a lone dash. */
export function escapeField(value: string): string {
  if (value === '') return '-';
  if (value === '-') return '\\-';
  return value.replace(/[\\ \n\t\r]/g, (c) => ESCAPES[c] ?? c);
}

/** Builds the lines of one plan; `fail` turns a problem into the plan's own error. */
export class PlanRecords {
  readonly #lines: string[];

  constructor(
    header: string,
    readonly fail: (what: string) => TscError,
  ) {
    this.#lines = [header];
  }

  /** A comment line, then `name` escaped like a field so it stays on one line. */
  comment(text: string, name: string): void {
    this.#lines.push(`# ${text} ${escapeField(name)}`);
  }

  /** One record: the key, then each field escaped. */
  line(key: string, ...fields: (string | number)[]): void {
    for (const f of fields) if (typeof f === 'string' && f.includes('\0')) throw this.fail(`\`${key}\` holds a NUL byte`);
    this.#lines.push([key, ...fields.map((f) => escapeField(String(f)))].join(' '));
  }

  abs(what: string, path: string): string {
    if (!path.startsWith('/')) throw this.fail(`${what} \`${path}\` is not an absolute path`);
    return path;
  }

  id(what: string, value: number): number {
    if (!Number.isInteger(value) || value < 0 || value >= 0xffffffff) throw this.fail(`${what} ${value} is not a valid id`);
    return value;
  }

  /** Four octal digits, at most `max`. */
  octal(what: string, mode: number, max = 0o7777): string {
    if (!Number.isInteger(mode) || mode < 0 || mode > max) throw this.fail(`${what} ${mode} is not a valid mode`);
    return mode.toString(8).padStart(4, '0');
  }

  text(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

/** rlimit, user, groups, capabilities, no-new-privileges, umask, cwd, env and arg records, in that order. */
export function writeProcessRecords(out: PlanRecords, proc: ProcessSettings & { readonly user?: ProcessUser }): void {
  for (const r of proc.rlimits) {
    if (!RLIMIT_TYPES.includes(r.type)) throw out.fail(`unknown rlimit \`${r.type}\``);
    const limit = (v: number | 'unlimited'): string | number => {
      if (v !== 'unlimited' && (!Number.isSafeInteger(v) || v < 0)) throw out.fail(`${r.type}: bad limit ${v}`);
      return v;
    };
    out.line('rlimit', r.type, limit(r.soft), limit(r.hard));
  }
  if (proc.user !== undefined) {
    out.line('user', out.id('uid', proc.user.uid), out.id('gid', proc.user.gid));
    out.line('groups', ...proc.user.additionalGids.map((g) => out.id('gid', g)));
  }
  if (proc.capabilities !== undefined) {
    for (const set of CAP_SETS) {
      const caps = proc.capabilities[set];
      for (const cap of caps) if (!CAPABILITIES.includes(cap)) throw out.fail(`unknown capability \`${cap}\``);
      out.line('capabilities', set, ...caps);
    }
  }
  if (proc.noNewPrivileges) out.line('no-new-privileges');
  if (proc.umask !== undefined) out.line('umask', out.octal('umask', proc.umask, 0o777));
  out.line('cwd', out.abs('cwd', proc.cwd));
  for (const e of proc.env) {
    if (!e.includes('=')) throw out.fail(`environment entry \`${e}\` has no \`=\``);
    out.line('env', e);
  }
  if (proc.args.length === 0) throw out.fail('no command to run');
  for (const a of proc.args) out.line('arg', a);
}
