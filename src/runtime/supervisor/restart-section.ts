import { parseContainerSection } from './container-section.js';
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

/** The section as written, checked; absent means no container to watch. */
export function parseRestartSection(value: unknown): RestartSection {
  return parseContainerSection('restart', 'policy', isPolicy, value);
}
