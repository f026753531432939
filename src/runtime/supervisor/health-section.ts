import { TscError } from '../../errors/index.js';
import type { HealthCheck } from './health-state.js';

/** The `health` section of supervisor.json: the containers to check and how. */
export interface HealthSection {
  readonly containers: readonly HealthTarget[];
}

export interface HealthTarget {
  /** Full container id. */
  readonly id: string;
  readonly check: HealthCheck;
}

const isMs = (v: unknown): boolean => Number.isSafeInteger(v) && (v as number) >= 0;

function isCheck(v: unknown): v is HealthCheck {
  const c = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && Array.isArray(c.command) && c.command.length > 0 &&
    c.command.every((a) => typeof a === 'string') && isMs(c.intervalMs) && isMs(c.timeoutMs) && isMs(c.retries) &&
    isMs(c.startPeriodMs) && isMs(c.startIntervalMs);
}

/** The section as written, checked; absent means nothing to check. */
export function parseHealthSection(value: unknown): HealthSection {
  if (value === undefined) return { containers: [] };
  const containers = (value as { containers?: unknown }).containers;
  if (typeof value !== 'object' || value === null || !Array.isArray(containers)) throw bad('`containers` must be a list');
  containers.forEach((t: unknown, i) => {
    const target = t as Record<string, unknown>;
    if (typeof t !== 'object' || t === null || typeof target.id !== 'string' || !isCheck(target.check)) throw bad(`entry ${i} is not {id, check}`);
  });
  return value as HealthSection;
}

function bad(what: string): TscError {
  return new TscError('SUPERVISOR', `supervisor.json: section \`health\`: ${what}`, { hint: 'the file is written by `tscompose up`; run it again' });
}
