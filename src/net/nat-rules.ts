/**
 * Outbound NAT and forwarding rules as data: which iptables rules a network needs, and the steps that
 * bring the host's tables from what `iptables -S` shows to what the live networks need. Pure; the
 * steps are carried out by {@link NatManager}.
 *
 * Everything lives in tscompose's own chains, shared by every data root of the machine:
 * - nat `TSCOMPOSE-POSTROUTING` (appended to POSTROUTING): `-s <subnet> ! -o <bridge> -j MASQUERADE`
 *   per network that is not internal;
 * - filter `TSCOMPOSE-FORWARD` (first rule of FORWARD): drops first (an internal bridge to or from
 *   another interface; a non-internal bridge toward another interface goes through
 *   `TSCOMPOSE-ISOLATE`), then accepts (return traffic to a non-internal bridge, and traffic from it out);
 * - filter `TSCOMPOSE-ISOLATE`: drops traffic that leaves toward any non-internal tscompose bridge,
 *   so two tscompose bridges never reach each other even when the host forwards.
 * Every per-network rule carries the comment `tscompose:<bridge>`, which is how the rules of a bridge
 * are found again, counted, and swept once the bridge is gone.
 */

export const NAT_CHAIN = 'TSCOMPOSE-POSTROUTING';
export const FORWARD_CHAIN = 'TSCOMPOSE-FORWARD';
export const ISOLATE_CHAIN = 'TSCOMPOSE-ISOLATE';

export type FirewallTable = 'nat' | 'filter';

/** What the rules of one network depend on. */
export interface NatNetwork {
  readonly name: string;
  readonly bridge: string;
  /** CIDR, e.g. `172.28.2.0/24`. */
  readonly subnet: string;
  readonly internal: boolean;
}

export interface FirewallRule {
  readonly table: FirewallTable;
  readonly chain: string;
  /** The rule's arguments after `-A <chain>`. */
  readonly spec: readonly string[];
  /** `first` inserts at the head of the chain (drops, jumps), `last` appends (accepts, MASQUERADE). */
  readonly position: 'first' | 'last';
}

export type FirewallStep =
  | { readonly op: 'create-chain'; readonly table: FirewallTable; readonly chain: string }
  /** Adds the rule unless an equal one exists (`iptables -C` first). */
  | { readonly op: 'ensure-rule'; readonly rule: FirewallRule }
  /** Deletes the rule if it exists. */
  | { readonly op: 'delete-rule'; readonly table: FirewallTable; readonly chain: string; readonly spec: readonly string[] }
  /** Flushes and deletes one of tscompose's chains. */
  | { readonly op: 'delete-chain'; readonly table: FirewallTable; readonly chain: string };

/** One table as `iptables -t <table> -S` printed it. */
export interface TableView {
  readonly chains: ReadonlySet<string>;
  readonly rules: readonly { readonly chain: string; readonly spec: readonly string[] }[];
}

export interface FirewallView {
  readonly nat: TableView;
  readonly filter: TableView;
}

const OUR_CHAINS: readonly { table: FirewallTable; chain: string }[] = [
  { table: 'filter', chain: FORWARD_CHAIN },
  { table: 'filter', chain: ISOLATE_CHAIN },
  { table: 'nat', chain: NAT_CHAIN },
];

/** The jumps from the host's built-in chains into ours. */
export const JUMPS: readonly FirewallRule[] = [
  { table: 'filter', chain: 'FORWARD', spec: ['-j', FORWARD_CHAIN], position: 'first' },
  { table: 'nat', chain: 'POSTROUTING', spec: ['-j', NAT_CHAIN], position: 'last' },
];

export const ruleTag = (bridge: string): string => `tscompose:${bridge}`;

/** The bridge a rule was made for, from its `tscompose:<bridge>` comment; undefined for any other rule. */
export function taggedBridge(spec: readonly string[]): string | undefined {
  const at = spec.indexOf('--comment');
  const comment = at < 0 ? undefined : spec[at + 1];
  return comment?.startsWith('tscompose:') === true ? comment.slice('tscompose:'.length) : undefined;
}

/** The rules one network needs, in the order they are to be made. */
export function networkRules(network: NatNetwork): FirewallRule[] {
  const b = network.bridge;
  const tag = ['-m', 'comment', '--comment', ruleTag(b)];
  const filter = (spec: string[], position: 'first' | 'last', chain = FORWARD_CHAIN): FirewallRule => ({ table: 'filter', chain, spec, position });
  if (network.internal) {
    return [
      filter(['-i', b, '!', '-o', b, ...tag, '-j', 'DROP'], 'first'),
      filter(['!', '-i', b, '-o', b, ...tag, '-j', 'DROP'], 'first'),
    ];
  }
  return [
    filter(['-o', b, ...tag, '-j', 'DROP'], 'last', ISOLATE_CHAIN),
    filter(['-i', b, '!', '-o', b, ...tag, '-j', ISOLATE_CHAIN], 'first'),
    filter(['-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', ...tag, '-j', 'ACCEPT'], 'last'),
    filter(['-i', b, '!', '-o', b, ...tag, '-j', 'ACCEPT'], 'last'),
    { table: 'nat', chain: NAT_CHAIN, spec: ['-s', network.subnet, '!', '-o', b, ...tag, '-j', 'MASQUERADE'], position: 'last' },
  ];
}

/** Splits one line of `iptables -S` into its arguments, undoing the double quotes around comments. */
export function splitRuleLine(line: string): string[] {
  const out: string[] = [];
  const pattern = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = pattern.exec(line); m !== null; m = pattern.exec(line)) {
    out.push(m[1] === undefined ? (m[2] as string) : m[1].replace(/\\(.)/g, '$1'));
  }
  return out;
}

/** Reads `iptables -t <table> -S`: the chains (`-P` built-in, `-N` user) and the rules (`-A`). */
export function parseTable(text: string): TableView {
  const chains = new Set<string>();
  const rules: { chain: string; spec: string[] }[] = [];
  for (const line of text.split('\n')) {
    const [flag, chain, ...spec] = splitRuleLine(line);
    if (chain === undefined) continue;
    if (flag === '-P' || flag === '-N') chains.add(chain);
    else if (flag === '-A') rules.push({ chain, spec });
  }
  return { chains, rules };
}

const ourRules = (view: FirewallView): { table: FirewallTable; chain: string; spec: readonly string[] }[] =>
  OUR_CHAINS.flatMap(({ table, chain }) => view[table].rules.filter((r) => r.chain === chain).map((r) => ({ table, chain, spec: r.spec })));

/**
 * Deletes the rules of `bridge` and of every bridge no longer on the host (`live` names the host's
 * links), then, when no rule of any network is left, the jumps and chains. With `bridge` undefined
 * this is the sweep of what a crash left behind.
 */
export function planRemoval(view: FirewallView, bridge: string | undefined, live: ReadonlySet<string>): FirewallStep[] {
  const steps: FirewallStep[] = [];
  let kept = 0;
  for (const rule of ourRules(view)) {
    const owner = taggedBridge(rule.spec);
    if (owner === undefined) continue;
    if (owner === bridge || !live.has(owner)) steps.push({ op: 'delete-rule', ...rule });
    else kept += 1;
  }
  if (kept > 0) return steps;
  for (const jump of JUMPS) {
    for (const rule of view[jump.table].rules) {
      if (rule.chain === jump.chain && sameSpec(rule.spec, jump.spec)) steps.push({ op: 'delete-rule', table: jump.table, chain: jump.chain, spec: rule.spec });
    }
  }
  for (const { table, chain } of OUR_CHAINS) if (view[table].chains.has(chain)) steps.push({ op: 'delete-chain', table, chain });
  return steps;
}

/** Sweeps the rules of bridges that are gone, then makes the chains, jumps and rules `network` needs. */
export function planAddition(view: FirewallView, network: NatNetwork, live: ReadonlySet<string>): FirewallStep[] {
  const sweep = planRemoval(view, undefined, new Set([...live, network.bridge])).filter((s) => s.op === 'delete-rule' && taggedBridge(s.spec) !== undefined);
  const create: FirewallStep[] = OUR_CHAINS.filter(({ table, chain }) => !view[table].chains.has(chain)).map(({ table, chain }) => ({ op: 'create-chain', table, chain }));
  return [...sweep, ...create, ...JUMPS.map((rule) => ({ op: 'ensure-rule' as const, rule })), ...networkRules(network).map((rule) => ({ op: 'ensure-rule' as const, rule }))];
}

function sameSpec(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((token, i) => token === b[i]);
}
