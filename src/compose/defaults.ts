import { isAbsolute, join } from 'node:path';
import { isDict, type Dict } from './types.js';

export interface DefaultsContext {
  projectName: string;
  /** Absolute; relative paths of the merged model are resolved against it. */
  projectDir: string;
  /** Where `~` in bind sources, env files and secret files points; without it `~` is kept. */
  homeDir?: string;
}

const RESOURCES = ['networks', 'volumes', 'secrets', 'configs'] as const;
const REMOTE_PREFIXES = ['https://', 'http://', 'git://', 'ssh://', 'github.com/', 'git@'];
const NAMESPACES = ['network_mode', 'ipc', 'pid', 'uts', 'cgroup'] as const;

/**
 * The project-level defaults Compose applies once the files are merged: the project `name`; every
 * relative path made absolute against the project dir (`~` expanded); build `context` `.` and
 * `dockerfile` `Dockerfile`; secret targets under `/run/secrets`; the implicit `default` network for
 * services with neither `networks` nor `network_mode`; dependencies implied by `links`,
 * `volumes_from` and `service:` namespaces; and a `name` for every network, volume, secret and
 * config (`<project>_<key>`, or the key itself when external). The input is not modified.
 */
export function applyDefaults(data: Dict, context: DefaultsContext): Dict {
  const { name: _name, services, ...rest } = data;
  const serviceMap: Dict = {};
  let usesDefaultNetwork = false;
  for (const [key, service] of Object.entries(isDict(services) ? services : {})) {
    if (!isDict(service)) {
      serviceMap[key] = service;
      continue;
    }
    const withDefaults = serviceDefaults(service, context);
    if (withDefaults.network_mode === undefined) {
      const networks = isDict(withDefaults.networks) ? withDefaults.networks : {};
      if (Object.keys(networks).length === 0) withDefaults.networks = { default: null };
      if (isDict(withDefaults.networks) && Object.hasOwn(withDefaults.networks, 'default')) usesDefaultNetwork = true;
    }
    serviceMap[key] = withDefaults;
  }
  const out: Dict = { name: context.projectName, services: serviceMap, ...rest };
  if (usesDefaultNetwork) {
    const networks = isDict(out.networks) ? out.networks : {};
    if (!Object.hasOwn(networks, 'default')) out.networks = { ...networks, default: {} };
  }
  for (const kind of RESOURCES) {
    const resources = out[kind];
    if (!isDict(resources)) continue;
    const named: Dict = {};
    for (const [key, resource] of Object.entries(resources)) {
      named[key] = resourceDefaults(kind, key, isDict(resource) ? resource : {}, context);
    }
    out[kind] = named;
  }
  return out;
}

/**
 * A service with its relative paths resolved against `baseDir`: build contexts (unless remote),
 * additional contexts, env files, label files, bind-mount sources and watch paths. `~` is expanded
 * when `homeDir` is given, and kept otherwise.
 */
export function resolveServicePaths(service: Dict, baseDir: string, homeDir?: string): Dict {
  const out: Dict = { ...service };
  const path = (value: unknown): unknown => (typeof value === 'string' ? resolvePath(value, baseDir, homeDir) : value);
  if (isDict(out.build)) {
    const build: Dict = { ...out.build };
    if (build.context !== undefined) build.context = contextPath(build.context, baseDir, homeDir);
    if (isDict(build.additional_contexts)) {
      build.additional_contexts = mapValues(build.additional_contexts, (value) => contextPath(value, baseDir, homeDir));
    }
    out.build = build;
  }
  if (Array.isArray(out.env_file)) {
    out.env_file = out.env_file.map((entry: unknown) => (isDict(entry) ? { ...entry, path: path(entry.path) } : path(entry)));
  }
  if (Array.isArray(out.label_file)) out.label_file = out.label_file.map(path);
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((entry: unknown) =>
      isDict(entry) && entry.type === 'bind' ? { ...entry, source: path(entry.source) } : entry);
  }
  if (isDict(out.develop) && Array.isArray(out.develop.watch)) {
    const watch = out.develop.watch.map((entry: unknown) => (isDict(entry) ? { ...entry, path: path(entry.path) } : entry));
    out.develop = { ...out.develop, watch };
  }
  return out;
}

function serviceDefaults(service: Dict, context: DefaultsContext): Dict {
  const withContext = isDict(service.build) ? { ...service, build: { context: '.', ...service.build } } : service;
  const out = resolveServicePaths(withContext, context.projectDir, context.homeDir);
  if (isDict(out.build) && out.build.dockerfile === undefined && out.build.dockerfile_inline === undefined) {
    out.build = { ...out.build, dockerfile: 'Dockerfile' };
  }
  if (out.pull_policy === 'if_not_present') out.pull_policy = 'missing';
  if (Array.isArray(out.secrets)) {
    out.secrets = out.secrets.map((entry: unknown) =>
      isDict(entry) && entry.target === undefined ? { ...entry, target: `/run/secrets/${String(entry.source)}` } : entry);
  }
  if (Array.isArray(out.gpus)) out.gpus = out.gpus.map(deviceRequestDefaults);
  const reservations = isDict(out.deploy) && isDict(out.deploy.resources) ? out.deploy.resources.reservations : undefined;
  if (isDict(out.deploy) && isDict(out.deploy.resources) && isDict(reservations) && Array.isArray(reservations.devices)) {
    const devices = reservations.devices.map(deviceRequestDefaults);
    out.deploy = { ...out.deploy, resources: { ...out.deploy.resources, reservations: { ...reservations, devices } } };
  }
  const implied = impliedDependencies(out);
  if (implied.length > 0) {
    const dependsOn: Dict = isDict(out.depends_on) ? { ...out.depends_on } : {};
    for (const [name, restart] of implied) {
      if (!Object.hasOwn(dependsOn, name)) dependsOn[name] = { condition: 'service_started', restart, required: true };
    }
    out.depends_on = dependsOn;
  }
  return out;
}

/** Services a service needs started first without saying so in `depends_on`, with their `restart`. */
function impliedDependencies(service: Dict): Array<[string, boolean]> {
  const found: Array<[string, boolean]> = [];
  for (const link of Array.isArray(service.links) ? service.links : []) found.push([String(link).split(':')[0] ?? '', true]);
  for (const key of NAMESPACES) {
    const value = service[key];
    if (typeof value === 'string' && value.startsWith('service:')) found.push([value.slice('service:'.length), true]);
  }
  for (const from of Array.isArray(service.volumes_from) ? service.volumes_from : []) {
    const text = String(from);
    if (!text.startsWith('container:')) found.push([text.split(':')[0] ?? '', false]);
  }
  return found.filter(([name]) => name !== '');
}

function deviceRequestDefaults(request: unknown): unknown {
  if (!isDict(request) || request.count !== undefined || request.device_ids !== undefined) return request;
  return { ...request, count: 'all' };
}

function resourceDefaults(kind: (typeof RESOURCES)[number], key: string, resource: Dict, context: DefaultsContext): Dict {
  const out: Dict = { ...resource };
  if (out.name === undefined) out.name = out.external === true ? key : `${context.projectName}_${key}`;
  if ((kind === 'secrets' || kind === 'configs') && typeof out.file === 'string') {
    out.file = resolvePath(out.file, context.projectDir, context.homeDir);
  }
  if (kind === 'volumes' && out.driver === 'local' && isDict(out.driver_opts) && out.driver_opts.o === 'bind') {
    const device = out.driver_opts.device;
    if (typeof device === 'string') {
      out.driver_opts = { ...out.driver_opts, device: resolvePath(device, context.projectDir, context.homeDir) };
    }
  }
  return out;
}

function contextPath(value: unknown, baseDir: string, homeDir: string | undefined): unknown {
  if (typeof value !== 'string') return value;
  if (value.includes('://') || value.startsWith('service:') || REMOTE_PREFIXES.some((p) => value.startsWith(p))) return value;
  return resolvePath(value, baseDir, homeDir);
}

function resolvePath(value: string, baseDir: string, homeDir: string | undefined): string {
  if (value === '') return value;
  if (value.startsWith('~')) return homeDir === undefined ? value : join(homeDir, value.slice(1));
  return isAbsolute(value) ? value : join(baseDir, value);
}

function mapValues(dict: Dict, fn: (value: unknown) => unknown): Dict {
  return Object.fromEntries(Object.entries(dict).map(([key, value]) => [key, fn(value)]));
}
