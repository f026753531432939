import { parseContainerSection } from './container-section.js';
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
  return parseContainerSection('health', 'check', isCheck, value);
}
