import { isCgroupParent } from '../cgroups/cgroup-path.js';
import type { ExitStatus, ProcessRef } from '../kernel/kernel.js';
import type { ContainerSpec } from './container-spec.js';
import { isContainerId } from './container-id.js';
import { CONTAINER_STATUSES, isActive, type ContainerStatus } from './container-state.js';
import type { ResolvedUser } from './user.js';

export const RECORD_VERSION = 1;

/** What the runtime keeps about one container, in `<dataRoot>/containers/<id>/state.json`. */
export interface ContainerRecord {
  readonly version: typeof RECORD_VERSION;
  /** 64 hex digits. */
  readonly id: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly spec: ContainerSpec;
  /** The user as create() resolved it from the image. */
  readonly user: ResolvedUser;
  /** As last recorded; the status a reader sees also looks at the processes (observe()). */
  readonly status: ContainerStatus;
  /** RFC 3339. */
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** The container's first process and its monitor, of the last start. */
  readonly container?: ProcessRef;
  readonly monitor?: ProcessRef;
  /** How the last run ended. */
  readonly exit?: ExitStatus;
  readonly restartCount: number;
  /**
   * The directory, under each cgroup hierarchy, that holds the container's cgroup (`<cgroupParent>/<id>`),
   * as the runtime that created it was set up. Every later use of the cgroup goes there, whatever the
   * acting process's own parent; absent in records from before it was kept, and with no cgroups.
   */
  readonly cgroupParent?: string;
  /** Why the last start failed, or what was lost. */
  readonly error?: string;
  /** The startedAt of the run the user stopped through tscompose (stop, kill, down): restart policies leave it alone. */
  readonly stoppedByUser?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const optional = (v: unknown, check: (v: unknown) => boolean): boolean => v === undefined || check(v);
const isStrings = (v: unknown): boolean => Array.isArray(v) && v.every(isStr);
const isStrMap = (v: unknown): boolean => isObj(v) && Object.values(v).every(isStr);

const isRef = (v: unknown): boolean => isObj(v) && isCount(v.pid) && (v.pid as number) > 0 && isCount(v.startTime);

const isExit = (v: unknown): boolean =>
  isObj(v) && isCount(v.pid) && isCount(v.startTime) && (v.exitCode === null || Number.isInteger(v.exitCode)) &&
  (v.signal === null || isStr(v.signal)) && typeof v.coreDumped === 'boolean' && isStr(v.time) &&
  optional(v.oomKilled, (b) => typeof b === 'boolean');

const isUser = (v: unknown): boolean =>
  isObj(v) && isCount(v.uid) && isCount(v.gid) && Array.isArray(v.additionalGids) && v.additionalGids.every(isCount) && isStr(v.home);

function isSpec(v: unknown): boolean {
  if (!isObj(v) || !isStr(v.name) || !isStrMap(v.labels) || !isObj(v.image) || !isStr(v.image.reference)) return false;
  if (!isObj(v.rootfs) || !isStr(v.rootfs.path) || !isObj(v.process) || !isStrings(v.process.args)) return false;
  return optional(v.process.env, isStrings) && optional(v.mounts, Array.isArray) && optional(v.rlimits, Array.isArray) &&
    optional(v.resources, isObj) && optional(v.stdin, (m) => m === 'none' || m === 'open' || m === 'once') &&
    optional(v.tty, (b) => typeof b === 'boolean');
}

/** Checks a parsed state.json; throws naming the first field that is wrong. */
export function validateRecord(value: unknown): ContainerRecord {
  const checks: [string, (r: Obj) => boolean][] = [
    ['version', (r) => r.version === RECORD_VERSION],
    ['id', (r) => isStr(r.id) && isContainerId(r.id)],
    ['name', (r) => isStr(r.name) && r.name !== ''],
    ['labels', (r) => isStrMap(r.labels)],
    ['spec', (r) => isSpec(r.spec) && (r.spec as Obj).name === r.name],
    ['user', (r) => isUser(r.user)],
    ['status', (r) => (CONTAINER_STATUSES as readonly unknown[]).includes(r.status)],
    ['createdAt', (r) => isStr(r.createdAt)],
    ['startedAt', (r) => optional(r.startedAt, isStr)],
    ['finishedAt', (r) => optional(r.finishedAt, isStr)],
    ['container', (r) => (isActive(r.status as ContainerStatus) ? isRef(r.container) : optional(r.container, isRef))],
    ['monitor', (r) => (isActive(r.status as ContainerStatus) ? isRef(r.monitor) : optional(r.monitor, isRef))],
    ['exit', (r) => optional(r.exit, isExit)],
    ['restartCount', (r) => isCount(r.restartCount)],
    ['cgroupParent', (r) => optional(r.cgroupParent, isCgroupParent)],
    ['error', (r) => optional(r.error, isStr)],
    ['stoppedByUser', (r) => optional(r.stoppedByUser, isStr)],
  ];
  if (!isObj(value)) throw new Error('not a JSON object');
  for (const [field, check] of checks) if (!check(value)) throw new Error(`field \`${field}\` is missing or wrong`);
  return value as unknown as ContainerRecord;
}
