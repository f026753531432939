import type { DependencyGraph } from '../compose/graph.js';
import type { Action, ObservedContainer } from './plan.js';

export const RESTART_REASON = 'a dependency with restart: true was recreated';

/**
 * Compose's `depends_on: {x: {restart: true}}`: when `x` is recreated, its dependents that say so are
 * recreated with it (transitively; network_mode, volumes_from and links imply it). Adds a recreate for
 * each of their containers that the plan keeps, in place of a plain start. Pure.
 */
export function withDependentRestarts(actions: readonly Action[], observed: readonly ObservedContainer[], graph: DependencyGraph, selected: readonly string[]): Action[] {
  const recreated = new Set(actions.filter((a) => a.kind === 'recreate').map((a) => a.service));
  const wanted = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const service of selected) {
      if (recreated.has(service) || wanted.has(service) || !graph.has(service)) continue;
      if (graph.edges(service).some((e) => e.restart && (recreated.has(e.to) || wanted.has(e.to)))) {
        wanted.add(service);
        grew = true;
      }
    }
  }
  if (wanted.size === 0) return [...actions];
  const recreate = (container: ObservedContainer): Action => ({ kind: 'recreate', service: container.service, number: container.number, container, reason: RESTART_REASON });
  const out: Action[] = actions.map((a) => (a.kind === 'start' && wanted.has(a.service) ? recreate(a.container) : a));
  const acted = new Set(actions.flatMap((a) => (a.kind === 'create' ? [] : [a.container.id])));
  for (const container of observed) {
    if (wanted.has(container.service) && !acted.has(container.id)) out.push(recreate(container));
  }
  return out;
}
