import { join } from 'node:path';
import { JsonRecord } from '../../state/json-record.js';
import type { HealthResult, HealthState, HealthStatus } from './health-state.js';

/** The health of one container run, in `<container dir>/health.json`, written by the supervisor. */
export interface HealthRecord extends HealthState {
  readonly version: 1;
  /** The `startedAt` of the run this record belongs to: a record of an earlier run does not count. */
  readonly containerStartedAt: string;
}

const STATUSES: readonly HealthStatus[] = ['starting', 'healthy', 'unhealthy'];

function isResult(v: unknown): v is HealthResult {
  const r = v as Record<string, unknown>;
  return typeof v === 'object' && v !== null && typeof r.start === 'string' && typeof r.end === 'string' &&
    Number.isInteger(r.exitCode) && typeof r.output === 'string';
}

export function validateHealthRecord(value: unknown): HealthRecord {
  const r = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  if (r.version !== 1) throw new Error('field `version` is missing or wrong');
  if (typeof r.containerStartedAt !== 'string') throw new Error('field `containerStartedAt` is missing or wrong');
  if (!STATUSES.includes(r.status as HealthStatus)) throw new Error('field `status` is missing or wrong');
  if (!Number.isSafeInteger(r.failingStreak) || (r.failingStreak as number) < 0) throw new Error('field `failingStreak` is missing or wrong');
  if (!Array.isArray(r.log) || !r.log.every(isResult)) throw new Error('field `log` is missing or wrong');
  return value as HealthRecord;
}

export const healthRecordPath = (containerDir: string): string => join(containerDir, 'health.json');

export function healthRecord(containerDir: string): JsonRecord<HealthRecord> {
  return new JsonRecord(healthRecordPath(containerDir), validateHealthRecord);
}

/** A container's health as readers show it: that of its current run, or `starting` when the record is of an earlier one. */
export async function currentHealth(containerDir: string, startedAt: string | undefined): Promise<HealthRecord | undefined> {
  const record = await healthRecord(containerDir).read().catch(() => undefined);
  if (record === undefined || startedAt === undefined) return undefined;
  if (record.containerStartedAt !== startedAt) return { version: 1, containerStartedAt: startedAt, status: 'starting', failingStreak: 0, log: [] };
  return record;
}
