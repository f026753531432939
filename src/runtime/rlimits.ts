import { RLIMIT_TYPES, type Rlimit, type RlimitType } from '../kernel/launch-plan.js';
import type { RlimitSpec } from './container-spec.js';
import type { HostFacts, HostLimit } from './host-facts.js';
import { specError } from './spec-error.js';

/** The open-files limit every container gets unless it asks for another (Docker's daemon default). */
export const DEFAULT_NOFILE = 1_048_576;

/** `nofile` → `RLIMIT_NOFILE`, as `ulimits:` names them. */
export function toRlimitType(name: string): RlimitType {
  const type = `RLIMIT_${name.trim().toUpperCase().replace(/^RLIMIT_/, '')}`;
  if (!(RLIMIT_TYPES as readonly string[]).includes(type)) {
    throw specError(`unknown ulimit "${name}"`, `use one of ${RLIMIT_TYPES.map((t) => t.slice(7).toLowerCase()).join(', ')}`);
  }
  return type as RlimitType;
}

const rank = (v: number | 'unlimited'): number => (v === 'unlimited' ? Infinity : v);
const label = (type: RlimitType): string => type.slice(7).toLowerCase();

function checkLimit(limit: RlimitSpec, host: HostLimit | undefined, canRaise: boolean): Rlimit {
  for (const v of [limit.soft, limit.hard]) {
    if (v !== 'unlimited' && (!Number.isSafeInteger(v) || v < 0)) {
      throw specError(`ulimit ${label(limit.type)}: ${v} is not a valid limit`, 'a limit is a whole number of at least 0, or unlimited');
    }
  }
  if (rank(limit.soft) > rank(limit.hard)) {
    throw specError(`ulimit ${label(limit.type)}: soft limit ${limit.soft} is above the hard limit ${limit.hard}`,
      'the soft limit must not exceed the hard limit');
  }
  if (!canRaise && host !== undefined && rank(limit.hard) > rank(host.hard)) {
    throw specError(`ulimit ${label(limit.type)}: hard limit ${limit.hard} is above the host's hard limit ${host.hard}`,
      `lower it to ${host.hard} or less, or raise the limit of the process that runs tscompose (it lacks CAP_SYS_RESOURCE)`);
  }
  return { type: limit.type, soft: limit.soft, hard: limit.hard };
}

/**
 * The rlimits of a container: those asked for, checked against the host (a hard limit above the host's
 * own is refused rather than silently lowered, unless the host may raise it), and RLIMIT_NOFILE at
 * {@link DEFAULT_NOFILE} when not asked for, lowered to the host's hard limit when the host cannot raise it.
 */
export function resolveRlimits(asked: readonly RlimitSpec[] | undefined, host: HostFacts): Rlimit[] {
  const canRaise = host.capabilities.includes('CAP_SYS_RESOURCE');
  const byType = new Map<RlimitType, Rlimit>();
  for (const limit of asked ?? []) byType.set(limit.type, checkLimit(limit, host.rlimits[limit.type], canRaise));
  if (!byType.has('RLIMIT_NOFILE')) {
    const hostHard = host.rlimits.RLIMIT_NOFILE?.hard ?? 'unlimited';
    const n = canRaise ? DEFAULT_NOFILE : Math.min(DEFAULT_NOFILE, rank(hostHard));
    byType.set('RLIMIT_NOFILE', { type: 'RLIMIT_NOFILE', soft: n, hard: n });
  }
  return [...byType.values()];
}
