import { TscError } from '../../errors/index.js';
import { JsonRecord } from '../../state/json-record.js';
import type { SupervisorConfig } from './part.js';

export function validateSupervisorConfig(value: unknown): SupervisorConfig {
  const v = value as Record<string, unknown>;
  if (typeof value !== 'object' || value === null) throw new Error('not a JSON object');
  if (v.version !== 1) throw new Error('field `version` is missing or wrong');
  if (typeof v.project !== 'string' || v.project === '') throw new Error('field `project` is missing or wrong');
  if (typeof v.sections !== 'object' || v.sections === null || Array.isArray(v.sections)) throw new Error('field `sections` is missing or wrong');
  return value as SupervisorConfig;
}

export function supervisorConfigFile(path: string): JsonRecord<SupervisorConfig> {
  return new JsonRecord(path, validateSupervisorConfig);
}

/** The config of `project`, or an empty one when none was written yet. */
export async function readSupervisorConfig(path: string, project: string): Promise<SupervisorConfig> {
  const config = await supervisorConfigFile(path).read();
  if (config === undefined) return { version: 1, project, sections: {} };
  if (config.project !== project) {
    throw new TscError('SUPERVISOR', `${path} is for project "${config.project}", not "${project}"`, { hint: 'run `tscompose up` again to rewrite it' });
  }
  return config;
}
