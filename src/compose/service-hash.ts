import { createHash } from 'node:crypto';
import type { ServiceConfig } from './model.js';

/**
 * The configuration hash of a service, as Compose computes it to decide recreation: the service
 * without the fields that do not change the container (build, pull policy, scale and replicas,
 * dependencies, profiles), serialised with sorted keys.
 */
export function serviceHash(service: ServiceConfig): string {
  const copy: Record<string, unknown> = { ...service };
  for (const key of ['build', 'pull_policy', 'scale', 'depends_on', 'profiles']) delete copy[key];
  if (copy.deploy !== undefined && typeof copy.deploy === 'object' && copy.deploy !== null) {
    const { replicas: _replicas, ...deploy } = copy.deploy as Record<string, unknown>;
    copy.deploy = deploy;
  }
  return createHash('sha256').update(stableJson(copy)).digest('hex');
}

export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
