import { TscError } from '../errors/index.js';
import { nearest } from '../util/suggest.js';
import type { Project, ServiceConfig } from './model.js';
import { serviceReferences } from './graph.js';
import { disabledServices, recordDisabledServices } from './consistency/disabled-services.js';

export interface ProfileOptions {
  /** `--profile` / `COMPOSE_PROFILES`; `*` activates every profile. */
  active: string[];
  /** Services named on the command line: each activates its own profiles. */
  services?: string[];
}

/**
 * Removes the services that no active profile enables, as Compose does. A service without
 * `profiles` is always enabled; one with profiles is enabled when one of them is active. A service
 * named in `options.services` is enabled and activates its own profiles for the services it needs
 * (so a dependency in the same profile comes with it), but not for the rest of its profile. A
 * reference to a disabled service is left in place: `checkConsistency` reports it (unless it is a
 * `depends_on` with `required: false`), naming the profile that would enable it.
 */
export function applyProfiles(project: Project, options: ProfileOptions): Project {
  const all = { ...project.services, ...disabledServices(project) };
  const active = new Set(options.active);
  const enabled = new Set(Object.keys(all).filter((name) => isEnabled(all[name] as ServiceConfig, active)));
  const named = (options.services ?? []).filter((name) => all[name] !== undefined);
  const widened = new Set([...active, ...named.flatMap((name) => all[name]?.profiles ?? [])]);
  const visited = new Set<string>();
  const queue = [...named];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    const service = all[name];
    if (service === undefined || visited.has(name)) continue;
    visited.add(name);
    enabled.add(name);
    for (const ref of serviceReferences(name, service)) {
      const target = all[ref.to];
      if (target !== undefined && isEnabled(target, widened)) queue.push(ref.to);
    }
  }
  const services: Record<string, ServiceConfig> = {};
  const disabled: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(all)) {
    if (enabled.has(name)) services[name] = service;
    else disabled[name] = service;
  }
  const result: Project = { ...project, services };
  recordDisabledServices(result, disabled);
  return result;
}

/** Every profile named by a service (enabled or disabled by profiles), sorted, for `config --profiles`. */
export function listProfiles(project: Project): string[] {
  const all = { ...disabledServices(project), ...project.services };
  const names = new Set(Object.values(all).flatMap((service) => service.profiles ?? []));
  return [...names].sort();
}

/**
 * Restricts a project to the named services (glob patterns such as `web-*` allowed, as Compose
 * allows) and, with `withDependencies`, to everything they need. Dependencies on services left out
 * are removed from `depends_on`. An unknown name is `COMPOSE_NO_SERVICE`.
 */
export function selectServices(project: Project, names: string[], options: { withDependencies: boolean }): Project {
  if (names.length === 0) return project;
  const selected = new Set<string>();
  const queue: string[] = [];
  for (const name of names) queue.push(...matchServices(project, name));
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    if (selected.has(name)) continue;
    selected.add(name);
    if (!options.withDependencies) continue;
    for (const ref of serviceReferences(name, project.services[name] as ServiceConfig)) {
      if (project.services[ref.to] !== undefined) queue.push(ref.to);
      else if (ref.required) throw noSuchService(project, ref.to, `needed by service "${name}" (${ref.kind})`);
    }
  }
  const services: Record<string, ServiceConfig> = {};
  for (const [name, service] of Object.entries(project.services)) {
    if (selected.has(name)) services[name] = withoutDependencies(service, selected);
  }
  const result: Project = { ...project, services };
  recordDisabledServices(result, disabledServices(project));
  return result;
}

function isEnabled(service: ServiceConfig, active: ReadonlySet<string>): boolean {
  const profiles = service.profiles ?? [];
  return profiles.length === 0 || active.has('*') || profiles.some((p) => active.has(p));
}

function matchServices(project: Project, pattern: string): string[] {
  if (project.services[pattern] !== undefined) return [pattern];
  if (/[*?[]/.test(pattern)) {
    const re = globToRegExp(pattern);
    const found = Object.keys(project.services).filter((name) => re.test(name));
    if (found.length > 0) return found;
  }
  throw noSuchService(project, pattern);
}

function noSuchService(project: Project, name: string, context?: string): TscError {
  const profiles = disabledServices(project)[name]?.profiles;
  const suffix = context === undefined ? '' : ` ${context}`;
  let hint: string;
  if (profiles !== undefined) {
    hint = `service "${name}" is disabled: enable one of its profiles (${profiles.join(', ')}) with --profile`;
  } else {
    const near = nearest(name, Object.keys(project.services));
    hint = near !== undefined
      ? `did you mean "${near}"?`
      : `the project's services are: ${Object.keys(project.services).sort().join(', ') || '(none)'}`;
  }
  return new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}${suffix}`, { hint });
}

function withoutDependencies(service: ServiceConfig, kept: ReadonlySet<string>): ServiceConfig {
  if (service.depends_on === undefined) return service;
  const entries = Object.entries(service.depends_on);
  const filtered = entries.filter(([name]) => kept.has(name));
  if (filtered.length === entries.length) return service;
  return { ...service, depends_on: Object.fromEntries(filtered) };
}

/** A shell-style pattern (`*`, `?`, `[abc]`) as an anchored regular expression. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        source += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
