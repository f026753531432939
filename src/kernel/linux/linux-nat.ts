import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TscError } from '../../errors/index.js';
import { runTool, TOOL_DIRS, toolFailure, type ToolRun } from './run-tool.js';

/** The path of `iptables` on this host (looked up in the PATH tools run with), or undefined when it is not installed. */
export function findIptables(dirs: readonly string[] = TOOL_DIRS): string | undefined {
  return dirs.map((dir) => join(dir, 'iptables')).find((path) => existsSync(path));
}

export interface LinuxIptablesOptions {
  readonly iptables?: string;
  /** Where `net/ipv4/ip_forward` is read; default `/proc/sys`. */
  readonly procSys?: string;
}

/**
 * The host's packet filter through `iptables -w` (which waits for the xtables lock, so tscompose
 * and other tools that change the tables take turns). Only reads the tables and runs the changes
 * it is given; what to change is decided in src/net/nat-rules.ts.
 */
export class LinuxIptables {
  private readonly iptables: string;
  private readonly procSys: string;

  constructor(options: LinuxIptablesOptions = {}) {
    this.iptables = options.iptables ?? 'iptables';
    this.procSys = options.procSys ?? '/proc/sys';
  }

  async list(table: 'nat' | 'filter'): Promise<string> {
    return this.must(table, ['-S'], `read the ${table} table`);
  }

  async has(table: 'nat' | 'filter', chain: string, spec: readonly string[]): Promise<boolean> {
    const run = await runTool(this.iptables, ['-w', '-t', table, '-C', chain, ...spec]);
    if (run.exitCode === 0) return true;
    if (run.exitCode === 1) return false;
    throw failure(`check a rule of ${table} ${chain}`, run);
  }

  async change(table: 'nat' | 'filter', args: readonly string[]): Promise<void> {
    await this.must(table, args, `change the ${table} table (${args.slice(0, 2).join(' ')})`);
  }

  async forwarding(): Promise<boolean> {
    const text = await readFile(join(this.procSys, 'net', 'ipv4', 'ip_forward'), 'utf8').catch(() => '0');
    return text.trim() === '1';
  }

  private async must(table: string, args: readonly string[], what: string): Promise<string> {
    const run = await runTool(this.iptables, ['-w', '-t', table, ...args]).catch((err: unknown) => {
      throw err instanceof TscError && err.code === 'KERNEL'
        ? new TscError('KERNEL', `${what}: cannot run ${this.iptables}`, { hint: 'install iptables, or set TSCOMPOSE_NAT=off to run networks without outbound NAT', cause: err })
        : err;
    });
    if (run.exitCode !== 0) throw failure(what, run);
    return run.stdout;
  }
}

function failure(what: string, run: ToolRun): TscError {
  return toolFailure(`iptables: ${what}`, run, {
    deniedBy: /Permission denied|Operation not permitted|you must be root/i,
    denied: 'outbound NAT needs root (CAP_NET_ADMIN); or set TSCOMPOSE_NAT=off',
    other: 'look at `iptables -S` and `iptables -t nat -S`; set TSCOMPOSE_NAT=off to run networks without outbound NAT',
  });
}
