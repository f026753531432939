import { TscError } from '../errors/index.js';
import type { DependsOnCondition, Project, ServiceConfig } from './model.js';
import { formatPath, type ComposePath } from './types.js';
import { undefinedServiceError, type ServiceReferenceKind } from './consistency/undefined-service.js';

/** What makes one service depend on another. */
export type EdgeKind = Exclude<ServiceReferenceKind, 'additional_contexts'>;

/** `from` needs `to`: started first, stopped last. */
export interface DependencyEdge {
  from: string;
  to: string;
  kind: EdgeKind;
  /** What `from` waits for; `service_started` for every kind but `depends_on`. */
  condition: DependsOnCondition;
  /** A dependency that is absent is an error, unless this is false. */
  required: boolean;
  /** Recreate `from` when `to` is recreated (always, when `from` shares `to`'s namespaces or volumes). */
  restart: boolean;
  /** Where the reference is written, e.g. `['services', 'web', 'depends_on', 'db']`. */
  path: ComposePath;
}

/** The services of a project and what each needs, for ordering start, stop and selection. */
export interface DependencyGraph {
  /** Every service, sorted by name. */
  readonly services: readonly string[];
  has(name: string): boolean;
  /** The services `name` needs directly, sorted. */
  dependencies(name: string): string[];
  /** The services that need `name` directly, sorted. */
  dependents(name: string): string[];
  /** The references from `name` to the services it needs, in the order they are written. */
  edges(name: string): DependencyEdge[];
  /** Groups that can start in parallel: level 0 needs nothing; each later level needs only earlier ones. */
  startLevels(): string[][];
  /** Groups that can stop in parallel: level 0 is needed by nothing; each service stops after all that need it. */
  stopLevels(): string[][];
  /** The named services and everything they need, transitively, sorted. */
  withDependencies(names: Iterable<string>): string[];
  /** The named services and everything that needs them, transitively, sorted. */
  withDependents(names: Iterable<string>): string[];
}

/**
 * Every reference from a service to another: `depends_on`, `network_mode`/`ipc`/`pid: service:x`,
 * `volumes_from` (but not `container:x`) and `links`. Only `depends_on` may set a condition or be
 * optional; the other kinds need the service started and recreate with it, as Compose does.
 */
export function serviceReferences(name: string, service: ServiceConfig): DependencyEdge[] {
  const out: DependencyEdge[] = [];
  const base = ['services', name];
  for (const [to, dep] of Object.entries(service.depends_on ?? {})) {
    out.push({
      from: name, to, kind: 'depends_on', condition: dep.condition ?? 'service_started',
      required: dep.required !== false, restart: dep.restart === true, path: [...base, 'depends_on', to],
    });
  }
  const implicit = (kind: EdgeKind, to: string, path: ComposePath): void => {
    out.push({ from: name, to, kind, condition: 'service_started', required: true, restart: true, path });
  };
  for (const key of ['network_mode', 'ipc', 'pid'] as const) {
    const value = service[key];
    if (typeof value === 'string' && value.startsWith('service:')) implicit(key, value.slice('service:'.length), [...base, key]);
  }
  (service.volumes_from ?? []).forEach((entry, index) => {
    const to = volumesFromService(entry);
    if (to !== undefined) implicit('volumes_from', to, [...base, 'volumes_from', index]);
  });
  (service.links ?? []).forEach((entry, index) => {
    implicit('links', entry.split(':')[0] ?? entry, [...base, 'links', index]);
  });
  return out;
}

/** `db`, `db:ro`, `service:db`, `service:db:rw` name service db; `container:x` is not a service. */
export function volumesFromService(entry: string): string | undefined {
  const parts = entry.split(':');
  if (parts[0] === 'container') return undefined;
  if (parts[0] === 'service' && parts.length > 1 && parts[1] !== 'ro' && parts[1] !== 'rw') return parts[1];
  return parts[0];
}

/**
 * The dependency graph of a project. A reference to a service the project does not have is
 * `COMPOSE_REFERENCE`, unless it is a `depends_on` with `required: false` (then it is left out); a
 * cycle is `COMPOSE_CYCLE`, naming every service on it in order.
 */
export function buildGraph(project: Project): DependencyGraph {
  const names = Object.keys(project.services).sort();
  const out = new Map<string, DependencyEdge[]>(names.map((n) => [n, []]));
  const incoming = new Map<string, Set<string>>(names.map((n) => [n, new Set()]));
  for (const name of names) {
    for (const edge of serviceReferences(name, project.services[name] as ServiceConfig)) {
      if (!out.has(edge.to)) {
        if (edge.kind === 'depends_on' && !edge.required) continue;
        throw undefinedServiceError(project, { from: name, kind: edge.kind, target: edge.to, path: edge.path });
      }
      out.get(name)?.push(edge);
      incoming.get(edge.to)?.add(name);
    }
  }
  const needs = new Map(names.map((n) => [n, uniqueSorted((out.get(n) ?? []).map((e) => e.to))]));
  const neededBy = new Map(names.map((n) => [n, [...(incoming.get(n) ?? [])].sort()]));
  checkCycles(names, needs, out);
  return new ServiceGraph(names, out, needs, neededBy);
}

class ServiceGraph implements DependencyGraph {
  constructor(
    readonly services: readonly string[],
    private readonly out: ReadonlyMap<string, DependencyEdge[]>,
    private readonly needs: ReadonlyMap<string, string[]>,
    private readonly neededBy: ReadonlyMap<string, string[]>,
  ) {}

  has(name: string): boolean {
    return this.needs.has(name);
  }

  dependencies(name: string): string[] {
    return [...this.known(name, this.needs)];
  }

  dependents(name: string): string[] {
    return [...this.known(name, this.neededBy)];
  }

  edges(name: string): DependencyEdge[] {
    this.known(name, this.needs);
    return [...(this.out.get(name) ?? [])];
  }

  startLevels(): string[][] {
    return levels(this.services, this.needs);
  }

  stopLevels(): string[][] {
    return levels(this.services, this.neededBy);
  }

  withDependencies(names: Iterable<string>): string[] {
    return this.closure(names, this.needs);
  }

  withDependents(names: Iterable<string>): string[] {
    return this.closure(names, this.neededBy);
  }

  private closure(names: Iterable<string>, next: ReadonlyMap<string, string[]>): string[] {
    const seen = new Set<string>();
    const queue = [...names];
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      if (seen.has(name)) continue;
      queue.push(...this.known(name, next));
      seen.add(name);
    }
    return [...seen].sort();
  }

  private known(name: string, map: ReadonlyMap<string, string[]>): string[] {
    const found = map.get(name);
    if (found === undefined) {
      throw new TscError('COMPOSE_NO_SERVICE', `no such service: ${name}`, {
        hint: `the project's services are: ${this.services.join(', ')}`,
      });
    }
    return found;
  }
}

/** Level of each service: 0 without neighbours in `next`, else one more than its highest neighbour. */
function levels(names: readonly string[], next: ReadonlyMap<string, string[]>): string[][] {
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const value = Math.max(-1, ...(next.get(name) ?? []).map(levelOf)) + 1;
    level.set(name, value);
    return value;
  };
  const out: string[][] = [];
  for (const name of names) {
    const l = levelOf(name);
    while (out.length <= l) out.push([]);
    out[l]?.push(name);
  }
  return out.map((group) => group.sort());
}

/** Depth-first over services and their dependencies in name order; the first cycle found is thrown. */
function checkCycles(names: readonly string[], needs: ReadonlyMap<string, string[]>, out: ReadonlyMap<string, DependencyEdge[]>): void {
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (name: string): void => {
    if (done.has(name)) return;
    stack.push(name);
    for (const dep of needs.get(name) ?? []) {
      const at = stack.indexOf(dep);
      if (at >= 0) throw cycleError([...stack.slice(at), dep], out);
      visit(dep);
    }
    stack.pop();
    done.add(name);
  };
  for (const name of names) visit(name);
}

function cycleError(cycle: string[], out: ReadonlyMap<string, DependencyEdge[]>): TscError {
  const last = cycle[cycle.length - 2] ?? '';
  const first = cycle[cycle.length - 1] ?? '';
  const closing = out.get(last)?.find((e) => e.to === first);
  const kinds = uniqueSorted(cycle.slice(0, -1).flatMap((from, i) =>
    (out.get(from) ?? []).filter((e) => e.to === cycle[i + 1]).map((e) => e.kind)));
  return new TscError('COMPOSE_CYCLE', `dependency cycle detected: ${cycle.join(' -> ')}`, {
    path: closing === undefined ? undefined : formatPath(closing.path),
    hint: `remove one of these references (${kinds.join(', ')}) so that no service needs itself, directly or through others`,
  });
}

function uniqueSorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}
