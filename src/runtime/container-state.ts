import { constants as osConstants } from 'node:os';
import { TscError } from '../errors/index.js';

/**
 * The life of a container: created → running → (paused) → exited → removed. `exited` covers a stop
 * and an exit on its own; `removing` marks a removal under way (a crash in the middle leaves it so, and
 * a forced removal finishes it); a removed container has no record at all.
 */
export const CONTAINER_STATUSES = ['created', 'running', 'paused', 'exited', 'removing'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

export type ContainerVerb = 'start' | 'stop' | 'kill' | 'pause' | 'unpause' | 'remove';

/** `act`: do it; `noop`: nothing to do, not an error (stopping what is stopped); `refuse`: a bad state. */
export type Decision = 'act' | 'noop' | 'refuse';

const A = 'act';
const N = 'noop';
const R = 'refuse';

const TABLE: Readonly<Record<ContainerVerb, Readonly<Record<ContainerStatus, Decision>>>> = {
  start: { created: A, running: R, paused: R, exited: A, removing: R },
  stop: { created: N, running: A, paused: A, exited: N, removing: R },
  kill: { created: R, running: A, paused: A, exited: R, removing: R },
  pause: { created: R, running: A, paused: R, exited: R, removing: R },
  unpause: { created: R, running: R, paused: A, exited: R, removing: R },
  remove: { created: A, running: R, paused: R, exited: A, removing: A },
};

export function decide(verb: ContainerVerb, status: ContainerStatus, options: { force?: boolean } = {}): Decision {
  if (verb === 'remove' && options.force === true) return A;
  return TABLE[verb][status];
}

export const canStart = (s: ContainerStatus): boolean => decide('start', s) === A;
export const canStop = (s: ContainerStatus): boolean => decide('stop', s) === A;
export const canKill = (s: ContainerStatus): boolean => decide('kill', s) === A;
export const canPause = (s: ContainerStatus): boolean => decide('pause', s) === A;
export const canUnpause = (s: ContainerStatus): boolean => decide('unpause', s) === A;
export const canRemove = (s: ContainerStatus, force = false): boolean => decide('remove', s, { force }) === A;

/** Whether its process may still be alive: what must be watched, stopped or killed. */
export const isActive = (s: ContainerStatus): boolean => s === 'running' || s === 'paused';

function why(verb: ContainerVerb, status: ContainerStatus): string {
  if (status === 'removing') return 'it is being removed';
  if (verb === 'unpause') return 'it is not paused';
  if (verb === 'pause' && status === 'paused') return 'it is already paused';
  if (isActive(status)) return `it is ${status}`;
  return 'it is not running';
}

function hintFor(verb: ContainerVerb, status: ContainerStatus): string {
  if (status === 'removing') return 'remove it again with force to finish the removal';
  if (verb === 'remove') return 'stop it first, or remove it with force';
  if (verb === 'start') return status === 'paused' ? 'unpause it instead' : 'it is already started; stop it first to start it again';
  return 'start it first';
}

/** The decision for a verb, or CONTAINER_BAD_STATE naming the container and why. */
export function checkVerb(verb: ContainerVerb, name: string, status: ContainerStatus, options: { force?: boolean } = {}): 'act' | 'noop' {
  const decision = decide(verb, status, options);
  if (decision !== R) return decision;
  throw new TscError('CONTAINER_BAD_STATE', `cannot ${verb} container ${name}: ${why(verb, status)}`, { hint: hintFor(verb, status) });
}

/**
 * A container's exit as Docker reports it: its exit code, or 128 + the number of the signal that ended
 * it (an unknown signal counts as a kill, 137, as Docker reports it).
 */
export function statusCode(exit: { exitCode: number | null; signal: string | null }): number {
  if (exit.exitCode !== null) return exit.exitCode;
  const number = exit.signal === null ? undefined : osConstants.signals[exit.signal as NodeJS.Signals];
  return 128 + (number ?? 9);
}
