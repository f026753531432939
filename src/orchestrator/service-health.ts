import { parseDuration } from '../compose/canonical/duration.js';
import type { ServiceConfig } from '../compose/model.js';
import { TscError } from '../errors/index.js';
import { HEALTH_DEFAULTS, type HealthCheck } from '../runtime/supervisor/health-state.js';
import { parseRestartValue, type RestartPolicy } from '../runtime/supervisor/restart-policy.js';
import type { ImageView } from './image-view.js';

const msOf = (service: string, field: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const ns = parseDuration(value);
  if (ns === undefined || ns < 0) {
    throw new TscError('COMPOSE_INVALID', `service "${service}": invalid healthcheck ${field} "${value}"`, { path: `services.${service}.healthcheck.${field}`, hint: 'write a duration such as 10s or 500ms' });
  }
  return Math.round(ns / 1e6);
};

const nsToMs = (ns: number | undefined): number | undefined => (ns === undefined ? undefined : Math.round(ns / 1e6));

/**
 * The healthcheck a service's containers run, as Docker resolves it: the service's `healthcheck`
 * over the image's HEALTHCHECK field by field; none when disabled, `NONE`, or neither has a test.
 * `CMD` runs its argv, `CMD-SHELL` its text with `/bin/sh -c`.
 */
export function serviceHealthcheck(name: string, service: ServiceConfig, image?: ImageView): HealthCheck | undefined {
  const own = service.healthcheck;
  if (own?.disable === true) return undefined;
  const fromImage = image?.healthcheck;
  const test = own?.test ?? fromImage?.test;
  if (test === undefined || test.length === 0 || test[0] === 'NONE') return undefined;
  const [kind, ...rest] = test;
  const command = kind === 'CMD' ? rest : kind === 'CMD-SHELL' ? ['/bin/sh', '-c', rest.join(' ')] : test;
  if (command.length === 0 || command.every((a) => a === '')) {
    throw new TscError('COMPOSE_INVALID', `service "${name}": the healthcheck test has no command`, { path: `services.${name}.healthcheck.test`, hint: 'write e.g. test: ["CMD", "wget", "-q", "-O-", "http://localhost/"]' });
  }
  return {
    command,
    intervalMs: msOf(name, 'interval', own?.interval) ?? nsToMs(fromImage?.intervalNs) ?? HEALTH_DEFAULTS.intervalMs,
    timeoutMs: msOf(name, 'timeout', own?.timeout) ?? nsToMs(fromImage?.timeoutNs) ?? HEALTH_DEFAULTS.timeoutMs,
    retries: own?.retries ?? fromImage?.retries ?? HEALTH_DEFAULTS.retries,
    startPeriodMs: msOf(name, 'start_period', own?.start_period) ?? nsToMs(fromImage?.startPeriodNs) ?? HEALTH_DEFAULTS.startPeriodMs,
    startIntervalMs: msOf(name, 'start_interval', own?.start_interval) ?? nsToMs(fromImage?.startIntervalNs) ?? HEALTH_DEFAULTS.startIntervalMs,
  };
}

const CONDITIONS: Record<string, RestartPolicy['name']> = { none: 'no', 'on-failure': 'on-failure', any: 'always' };

/**
 * The restart policy of a service's containers: `restart:` when set, else `deploy.restart_policy`
 * (condition none / on-failure / any, default any; max_attempts, delay, window), else `no`.
 */
export function serviceRestartPolicy(name: string, service: ServiceConfig): RestartPolicy {
  if (service.restart !== undefined) {
    const policy = parseRestartValue(service.restart);
    if (policy === undefined) {
      throw new TscError('COMPOSE_INVALID', `service "${name}": invalid restart policy "${service.restart}"`, { path: `services.${name}.restart`, hint: 'use no, always, unless-stopped, on-failure or on-failure:N' });
    }
    return policy;
  }
  const raw = (service.deploy as { restart_policy?: Record<string, unknown> } | undefined)?.restart_policy;
  if (raw === undefined || raw === null) return { name: 'no' };
  const condition = raw.condition === undefined ? 'any' : String(raw.condition);
  const policyName = CONDITIONS[condition];
  if (policyName === undefined) {
    throw new TscError('COMPOSE_INVALID', `service "${name}": invalid deploy.restart_policy.condition "${condition}"`, { path: `services.${name}.deploy.restart_policy.condition`, hint: 'use none, on-failure or any' });
  }
  const duration = (field: string): number | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    const ns = parseDuration(String(value));
    if (ns === undefined || ns < 0) {
      throw new TscError('COMPOSE_INVALID', `service "${name}": invalid deploy.restart_policy.${field} "${String(value)}"`, { path: `services.${name}.deploy.restart_policy.${field}`, hint: 'write a duration such as 5s' });
    }
    return Math.round(ns / 1e6);
  };
  const maxAttempts = raw.max_attempts === undefined || raw.max_attempts === null ? undefined : Number(raw.max_attempts);
  if (maxAttempts !== undefined && (!Number.isSafeInteger(maxAttempts) || maxAttempts < 0)) {
    throw new TscError('COMPOSE_INVALID', `service "${name}": invalid deploy.restart_policy.max_attempts "${String(raw.max_attempts)}"`, { path: `services.${name}.deploy.restart_policy.max_attempts`, hint: 'write a whole number' });
  }
  const delayMs = duration('delay');
  const windowMs = duration('window');
  return {
    name: policyName,
    ...(maxAttempts === undefined ? {} : { maxRetries: maxAttempts }),
    ...(delayMs === undefined ? {} : { delayMs }),
    ...(windowMs === undefined ? {} : { windowMs }),
  };
}
