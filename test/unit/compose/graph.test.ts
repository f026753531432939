import { describe, expect, it } from 'vitest';
import { buildGraph, serviceReferences, volumesFromService } from '../../../src/compose/graph.js';
import { applyProfiles } from '../../../src/compose/profiles.js';
import { project, failure } from '../../support/compose.js';

const DIAMOND = project(`
services:
  web: {image: web, depends_on: [api, worker]}
  api: {image: api, depends_on: [db, cache]}
  worker: {image: worker, depends_on: [db]}
  db: {image: db}
  cache: {image: cache}
`);

describe('buildGraph: cycles', () => {
  it('names every service of a depends_on cycle in order (compose-depends-on-cycle.yaml)', () => {
    const cyclic = project(`
name : depends-on-cycle
services:
  service1:
    image: service1
    depends_on:
      - service2
  service2:
    image: service2
    depends_on:
      - service3
  service3:
    image: service3
    depends_on:
      - service1
`);
    const error = failure(() => buildGraph(cyclic));
    expect(error.code).toBe('COMPOSE_CYCLE');
    expect(error.message).toBe('dependency cycle detected: service1 -> service2 -> service3 -> service1');
    expect(error.path).toBe('services.service3.depends_on.service1');
    expect(error.hint).toContain('depends_on');
  });

  it('reports a service that depends on itself (compose-depends-on-self.yaml)', () => {
    const self = project(`
name : depends-on-cycle
services:
  service1:
    image: service1
    depends_on:
      - service1
`);
    const error = failure(() => buildGraph(self));
    expect(error.code).toBe('COMPOSE_CYCLE');
    expect(error.message).toBe('dependency cycle detected: service1 -> service1');
  });

  it('finds cycles through network_mode, volumes_from and links too', () => {
    const mixed = project(`
services:
  a: {image: a, network_mode: "service:b"}
  b: {image: b, volumes_from: ["c:ro"]}
  c: {image: c, links: ["a:alias"]}
`);
    const error = failure(() => buildGraph(mixed));
    expect(error.message).toBe('dependency cycle detected: a -> b -> c -> a');
    expect(error.hint).toContain('links, network_mode, volumes_from');
  });
});

describe('buildGraph: order', () => {
  it('groups services into parallel start levels, sorted by name', () => {
    expect(buildGraph(DIAMOND).startLevels()).toEqual([['cache', 'db'], ['api', 'worker'], ['web']]);
  });

  it('stops a service as soon as everything that needs it has stopped', () => {
    expect(buildGraph(DIAMOND).stopLevels()).toEqual([['web'], ['api', 'worker'], ['cache', 'db']]);
    const lopsided = buildGraph(project(`
services:
  a: {image: a, depends_on: [b]}
  b: {image: b}
  c: {image: c}
`));
    expect(lopsided.startLevels()).toEqual([['b', 'c'], ['a']]);
    expect(lopsided.stopLevels()).toEqual([['a', 'c'], ['b']]);
  });

  it('answers direct dependencies and dependents', () => {
    const graph = buildGraph(DIAMOND);
    expect(graph.services).toEqual(['api', 'cache', 'db', 'web', 'worker']);
    expect(graph.dependencies('api')).toEqual(['cache', 'db']);
    expect(graph.dependents('db')).toEqual(['api', 'worker']);
    expect(graph.dependencies('db')).toEqual([]);
    expect(graph.has('web')).toBe(true);
    expect(graph.has('nope')).toBe(false);
  });

  it('closes over dependencies and dependents transitively', () => {
    const graph = buildGraph(DIAMOND);
    expect(graph.withDependencies(['worker'])).toEqual(['db', 'worker']);
    expect(graph.withDependencies(['web'])).toEqual(['api', 'cache', 'db', 'web', 'worker']);
    expect(graph.withDependents(['cache'])).toEqual(['api', 'cache', 'web']);
    expect(graph.withDependents(['db', 'web'])).toEqual(['api', 'db', 'web', 'worker']);
  });

  it('refuses a service it does not know', () => {
    const error = failure(() => buildGraph(DIAMOND).withDependencies(['wbe']));
    expect(error.code).toBe('COMPOSE_NO_SERVICE');
    expect(error.message).toBe('no such service: wbe');
  });
});

describe('buildGraph: edges', () => {
  const graph = buildGraph(project(`
services:
  app:
    image: app
    depends_on:
      db: {condition: service_healthy, restart: true}
      seed: {condition: service_completed_successfully}
    network_mode: "service:vpn"
    volumes_from: ["data:ro", "container:legacy"]
    links: ["db:database"]
  db: {image: db}
  seed: {image: seed}
  vpn: {image: vpn}
  data: {image: data}
`));

  it('keeps the kind, condition, required and restart of each reference', () => {
    const edges = graph.edges('app').map(({ to, kind, condition, required, restart }) => ({ to, kind, condition, required, restart }));
    expect(edges).toEqual([
      { to: 'db', kind: 'depends_on', condition: 'service_healthy', required: true, restart: true },
      { to: 'seed', kind: 'depends_on', condition: 'service_completed_successfully', required: true, restart: false },
      { to: 'vpn', kind: 'network_mode', condition: 'service_started', required: true, restart: true },
      { to: 'data', kind: 'volumes_from', condition: 'service_started', required: true, restart: true },
      { to: 'db', kind: 'links', condition: 'service_started', required: true, restart: true },
    ]);
  });

  it('counts a service named by several references once, and ignores container: volumes_from', () => {
    expect(graph.dependencies('app')).toEqual(['data', 'db', 'seed', 'vpn']);
    expect(graph.startLevels()).toEqual([['data', 'db', 'seed', 'vpn'], ['app']]);
  });

  it('reads volumes_from entries as Compose does', () => {
    expect(['db', 'db:ro', 'service:db', 'service:db:rw', 'container:db', 'container:db:ro'].map(volumesFromService))
      .toEqual(['db', 'db', 'db', 'db', undefined, undefined]);
  });

  it('takes ipc and pid service: references as edges', () => {
    const refs = serviceReferences('x', { ipc: 'service:a', pid: 'service:b', network_mode: 'host' });
    expect(refs.map((r) => [r.kind, r.to])).toEqual([['ipc', 'a'], ['pid', 'b']]);
  });
});

describe('buildGraph: absent services', () => {
  it('leaves out a depends_on with required: false whose service is absent', () => {
    const graph = buildGraph(project(`
services:
  web: {image: web, depends_on: {metrics: {condition: service_started, required: false}}}
`));
    expect(graph.dependencies('web')).toEqual([]);
    expect(graph.startLevels()).toEqual([['web']]);
  });

  it('refuses a required dependency that is absent', () => {
    const error = failure(() => buildGraph(project('services: {web: {image: web, depends_on: [db]}}')));
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "web" depends on undefined service "db"');
    expect(error.path).toBe('services.web.depends_on.db');
  });

  it('says which profile enables a dependency that profiles disabled', () => {
    const withProfiles = applyProfiles(project(`
services:
  web: {image: web, network_mode: "service:vpn"}
  vpn: {image: vpn, profiles: [tunnel]}
`), { active: [] });
    const error = failure(() => buildGraph(withProfiles));
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "web" refers to undefined service "vpn" in network_mode "service:vpn"');
    expect(error.hint).toContain('--profile tunnel');
  });
});
