import type { DependencyGraph } from '../compose/graph.js';
import type { Action, ObservedContainer } from './plan.js';

export const RESTART_REASON = 'a dependency with restart: true was recreated';

/**
 * The services among `candidates` that declare `restart: true` on one of `seeds` or, transitively, on
 * a service so added (Compose's rule for what a restart or recreate takes along). Seeds are not in it.
 */
export function restartClosure(graph: DependencyGraph, seeds: ReadonlySet<string>, candidates: Iterable<string>): Set<string> {
  const pool = [...candidates].filter((s) => !seeds.has(s) && graph.has(s));
  const added = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of pool) {
      if (added.has(service)) continue;
      if (graph.edges(service).some((e) => e.restart && (seeds.has(e.to) || added.has(e.to)))) {
        added.add(service);
        grew = true;
      }
    }
  }
  return added;
}

/**
 * Compose's `depends_on: {x: {restart: true}}`: when `x` is recreated, its dependents that say so are
 * recreated with it (transitively; network_mode, volumes_from and links imply it). Adds a recreate for
 * each of their containers that the plan keeps, in place of a plain start. Pure.
 */
export function withDependentRestarts(actions: readonly Action[], observed: readonly ObservedContainer[], graph: DependencyGraph, selected: readonly string[]): Action[] {
  const recreated = new Set(actions.filter((a) => a.kind === 'recreate').map((a) => a.service));
  const wanted = restartClosure(graph, recreated, selected);
  if (wanted.size === 0) return [...actions];
  const recreate = (container: ObservedContainer): Action => ({ kind: 'recreate', service: container.service, number: container.number, container, reason: RESTART_REASON });
  const out: Action[] = actions.map((a) => (a.kind === 'start' && wanted.has(a.service) ? recreate(a.container) : a));
  const acted = new Set(actions.flatMap((a) => (a.kind === 'create' ? [] : [a.container.id])));
  for (const container of observed) {
    if (wanted.has(container.service) && !acted.has(container.id)) out.push(recreate(container));
  }
  return out;
}
