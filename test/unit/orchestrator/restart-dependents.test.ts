import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/compose/graph.js';
import type { Project } from '../../../src/compose/model.js';
import type { Action, ObservedContainer } from '../../../src/orchestrator/plan.js';
import { RESTART_REASON, withDependentRestarts } from '../../../src/orchestrator/restart-dependents.js';

const observed = (service: string, status: ObservedContainer['status'] = 'running'): ObservedContainer => ({ id: `${service}-id`, name: `p-${service}-1`, service, number: 1, configHash: 'h', status });
const dep = (restart?: boolean) => ({ condition: 'service_started' as const, required: true, ...(restart === undefined ? {} : { restart }) });

describe('restart: true on a dependency', () => {
  const project: Project = {
    name: 'p',
    services: { db: {}, api: { depends_on: { db: dep(true) } }, web: { depends_on: { api: dep(true) } }, worker: { depends_on: { db: dep() } } },
  };
  const graph = buildGraph(project);
  const all = ['api', 'db', 'web', 'worker'];
  const containers = [observed('db'), observed('api'), observed('web'), observed('worker')];
  const recreateDb: Action = { kind: 'recreate', service: 'db', number: 1, container: observed('db'), reason: 'configuration changed' };

  it('recreates the dependents that say so, transitively, and leaves the others alone', () => {
    const out = withDependentRestarts([recreateDb], containers, graph, all);
    expect(out.map((a) => [a.kind, a.service, a.reason])).toEqual([
      ['recreate', 'db', 'configuration changed'], ['recreate', 'api', RESTART_REASON], ['recreate', 'web', RESTART_REASON],
    ]);
  });

  it('turns a plain start of such a dependent into a recreate, and changes nothing when no dependency is recreated', () => {
    const start: Action = { kind: 'start', service: 'api', container: observed('api', 'exited'), reason: 'container is exited' };
    expect(withDependentRestarts([recreateDb, start], containers.filter((c) => c.service !== 'web'), graph, ['api', 'db']).map((a) => [a.kind, a.service])).toEqual([['recreate', 'db'], ['recreate', 'api']]);
    expect(withDependentRestarts([start], containers, graph, all)).toEqual([start]);
  });
});
