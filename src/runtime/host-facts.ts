import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CAPABILITIES, type Capability, type RlimitType } from '../kernel/launch-plan.js';

export interface HostLimit {
  readonly soft: number | 'unlimited';
  readonly hard: number | 'unlimited';
}

/** What the host lets a container have: the plan is built within these bounds. */
export interface HostFacts {
  /** The bounding set of the process that launches containers (the helper inherits it). */
  readonly capabilities: readonly Capability[];
  /** Its resource limits; a container cannot go above a hard limit without CAP_SYS_RESOURCE. */
  readonly rlimits: Readonly<Partial<Record<RlimitType, HostLimit>>>;
}

/** A capability mask as /proc/<pid>/status prints it (`CapBnd: 000001fffeffffff`). */
export function parseCapabilityMask(hex: string): Capability[] {
  const mask = BigInt(`0x${hex.trim()}`);
  return CAPABILITIES.filter((_, bit) => (mask >> BigInt(bit)) & 1n);
}

const LIMIT_NAMES: Readonly<Record<string, RlimitType>> = {
  'Max cpu time': 'RLIMIT_CPU', 'Max file size': 'RLIMIT_FSIZE', 'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK', 'Max core file size': 'RLIMIT_CORE', 'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC', 'Max open files': 'RLIMIT_NOFILE', 'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS', 'Max file locks': 'RLIMIT_LOCKS', 'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE', 'Max nice priority': 'RLIMIT_NICE', 'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

const limitValue = (text: string | undefined): number | 'unlimited' | undefined => {
  if (text === 'unlimited') return 'unlimited';
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
};

/** The table of /proc/<pid>/limits. */
export function parseLimits(text: string): Partial<Record<RlimitType, HostLimit>> {
  const out: Partial<Record<RlimitType, HostLimit>> = {};
  for (const line of text.split('\n')) {
    const [name, soft, hard] = line.trim().split(/\s{2,}/);
    const type = name === undefined ? undefined : LIMIT_NAMES[name];
    const s = limitValue(soft);
    const h = limitValue(hard);
    if (type !== undefined && s !== undefined && h !== undefined) out[type] = { soft: s, hard: h };
  }
  return out;
}

/** The facts of this process, which spawns the helper: its CapBnd and its limits. */
export async function readHostFacts(procRoot = '/proc'): Promise<HostFacts> {
  const [status, limits] = await Promise.all([
    readFile(join(procRoot, 'self/status'), 'utf8'),
    readFile(join(procRoot, 'self/limits'), 'utf8'),
  ]);
  const bnd = /^CapBnd:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return { capabilities: bnd === undefined ? [] : parseCapabilityMask(bnd), rlimits: parseLimits(limits) };
}
