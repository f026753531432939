import { TscError } from '../../../src/errors/index.js';
import type { Firewall } from '../../../src/net/nat-manager.js';
import type { FirewallTable } from '../../../src/net/nat-rules.js';

const BUILTIN: Record<FirewallTable, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
};

const render = (token: string): string => (/[\s":]/.test(token) ? `"${token.replace(/(["\\])/g, '\\$1')}"` : token);

/**
 * iptables held in memory, with its semantics for what the NAT manager uses: chains must exist,
 * `-C`/`-D` compare whole rules, `-X` refuses a chain that is referenced or not empty, `-S` quotes
 * comments as iptables does.
 */
export class FakeFirewall implements Firewall {
  readonly tables: Record<FirewallTable, Map<string, string[][]>> = {
    filter: new Map(BUILTIN.filter.map((c) => [c, []])),
    nat: new Map(BUILTIN.nat.map((c) => [c, []])),
  };
  readonly changes: string[] = [];
  forward = false;
  /** Makes every change whose arguments include this token fail. */
  failOn: string | undefined;

  list(table: FirewallTable): Promise<string> {
    const lines: string[] = [];
    for (const chain of this.tables[table].keys()) lines.push(BUILTIN[table].includes(chain) ? `-P ${chain} ACCEPT` : `-N ${chain}`);
    for (const [chain, rules] of this.tables[table]) for (const rule of rules) lines.push(['-A', chain, ...rule.map(render)].join(' '));
    return Promise.resolve(`${lines.join('\n')}\n`);
  }

  has(table: FirewallTable, chain: string, spec: readonly string[]): Promise<boolean> {
    return Promise.resolve(this.index(table, chain, spec) >= 0);
  }

  change(table: FirewallTable, args: readonly string[]): Promise<void> {
    this.changes.push(`${table} ${args.join(' ')}`);
    if (this.failOn !== undefined && args.includes(this.failOn)) return Promise.reject(new TscError('KERNEL', `iptables refused ${args.join(' ')}`, { hint: 'a test failure' }));
    const [flag, chain = '', ...rest] = args;
    const chains = this.tables[table];
    const rules = chains.get(chain);
    if (flag === '-N') {
      if (rules !== undefined) return Promise.reject(new Error(`chain ${chain} exists`));
      chains.set(chain, []);
      return Promise.resolve();
    }
    if (rules === undefined) return Promise.reject(new Error(`no chain ${chain}`));
    if (flag === '-A') rules.push(rest);
    else if (flag === '-I') rules.splice(Number(rest[0]) - 1, 0, rest.slice(1));
    else if (flag === '-D') {
      const at = this.index(table, chain, rest);
      if (at < 0) return Promise.reject(new Error('no such rule'));
      rules.splice(at, 1);
    } else if (flag === '-F') rules.length = 0;
    else if (flag === '-X') {
      const used = [...chains.values()].some((rs) => rs.some((r) => r.at(-1) === chain));
      if (rules.length > 0 || used) return Promise.reject(new Error(`chain ${chain} busy`));
      chains.delete(chain);
    } else return Promise.reject(new Error(`unknown ${String(flag)}`));
    return Promise.resolve();
  }

  forwarding(): Promise<boolean> {
    return Promise.resolve(this.forward);
  }

  /** The rules of a chain as `-S` lines without the `-A <chain>`; undefined when the chain does not exist. */
  rules(table: FirewallTable, chain: string): string[] | undefined {
    return this.tables[table].get(chain)?.map((r) => r.join(' '));
  }

  private index(table: FirewallTable, chain: string, spec: readonly string[]): number {
    return (this.tables[table].get(chain) ?? []).findIndex((r) => r.length === spec.length && r.every((t, i) => t === spec[i]));
  }
}
