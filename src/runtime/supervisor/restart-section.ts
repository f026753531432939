import { TscError } from '../../errors/index.js';
import type { RestartPolicy } from './restart-policy.js';

/** The `restart` section of supervisor.json: every container of the project and its policy (`no` too: its exits are reported). */
export interface RestartSection {
  readonly containers: readonly RestartTarget[];
}

export interface RestartTarget {
  readonly id: string;
  readonly policy: RestartPolicy;
}

const NAMES: readonly string[] = ['no', 'always', 'on-failure', 'unless-stopped'];
const optionalMs = (v: unknown): boolean => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);

function isPolicy(v: unknown): v is RestartPolicy {
  const p = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && NAMES.includes(p.name as string) && optionalMs(p.maxRetries) && optionalMs(p.delayMs) && optionalMs(p.windowMs);
}

export function parseRestartSection(value: unknown): RestartSection {
  if (value === undefined) return { containers: [] };
  const containers = (value as { containers?: unknown }).containers;
  if (typeof value !== 'object' || value === null || !Array.isArray(containers)) throw bad('`containers` must be a list');
  containers.forEach((t: unknown, i) => {
    const target = t as Record<string, unknown>;
    if (typeof t !== 'object' || t === null || typeof target.id !== 'string' || !isPolicy(target.policy)) throw bad(`entry ${i} is not {id, policy}`);
  });
  return value as RestartSection;
}

function bad(what: string): TscError {
  return new TscError('SUPERVISOR', `supervisor.json: section \`restart\`: ${what}`, { hint: 'the file is written by `tscompose up`; run it again' });
}
