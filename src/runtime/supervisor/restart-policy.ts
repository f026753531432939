/**
 * Restart decisions, as Docker's restart manager makes them, pure: whether a container that ended is
 * started again and after how long. The pause starts at 100 ms and doubles with each restart up to a
 * minute; a run that lasted 10 s or more resets it. `delayMs` (deploy.restart_policy.delay) replaces
 * the back-off with a fixed pause.
 */
export interface RestartPolicy {
  readonly name: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** At most this many restarts (on-failure:N, deploy max_attempts); 0 or absent means no limit. */
  readonly maxRetries?: number;
  /** A fixed pause before each restart instead of the back-off. */
  readonly delayMs?: number;
  /** A run that lasts this long counts as a successful restart: the count of attempts starts over. */
  readonly windowMs?: number;
}

export const BACKOFF_FIRST_MS = 100;
export const BACKOFF_MAX_MS = 60_000;
/** A run this long resets the back-off. */
export const BACKOFF_RESET_AFTER_MS = 10_000;

/** What the restart part remembers of one container between its runs. */
export interface RestartMemory {
  /** Restarts made for the policy's limit. */
  readonly attempts: number;
  /** The last pause; 0 before the first restart or after a reset. */
  readonly backoffMs: number;
}

export interface Ending {
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** How long the run lasted. */
  readonly ranMs: number;
  /** The user stopped or killed it through tscompose. */
  readonly stoppedByUser: boolean;
}

export type RestartDecision =
  | { readonly restart: false; readonly reason: string }
  | { readonly restart: true; readonly delayMs: number; readonly memory: RestartMemory };

export function decideRestart(policy: RestartPolicy, ending: Ending, memory: RestartMemory): RestartDecision {
  if (policy.name === 'no') return { restart: false, reason: 'restart policy "no"' };
  if (ending.stoppedByUser) return { restart: false, reason: 'stopped by the user' };
  const windowPassed = policy.windowMs !== undefined && policy.windowMs > 0 && ending.ranMs >= policy.windowMs;
  const attempts = windowPassed ? 0 : memory.attempts;
  if (policy.name === 'on-failure' && ending.exitCode === 0) return { restart: false, reason: 'exited 0 under "on-failure"' };
  const max = policy.maxRetries ?? 0;
  if (max > 0 && attempts >= max) return { restart: false, reason: `gave up after ${attempts} restarts (${policy.name}:${max})` };
  const base = ending.ranMs >= BACKOFF_RESET_AFTER_MS ? 0 : memory.backoffMs;
  const backoffMs = base === 0 ? BACKOFF_FIRST_MS : Math.min(base * 2, BACKOFF_MAX_MS);
  const delayMs = policy.delayMs !== undefined ? policy.delayMs : backoffMs;
  return { restart: true, delayMs, memory: { attempts: attempts + 1, backoffMs } };
}

/** `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N`, as `restart:` takes it; undefined when it is none of these. */
export function parseRestartValue(value: string): RestartPolicy | undefined {
  const match = /^(no|always|unless-stopped|on-failure)(?::(\d+))?$/.exec(value.trim());
  if (match === null) return undefined;
  const name = match[1] as RestartPolicy['name'];
  if (match[2] !== undefined && name !== 'on-failure') return undefined;
  return match[2] === undefined ? { name } : { name, maxRetries: Number(match[2]) };
}
