import { describe, expect, it } from 'vitest';
import { applyProfiles, listProfiles, selectServices } from '../../../src/compose/profiles.js';
import { checkConsistency } from '../../../src/compose/consistency.js';
import { buildGraph } from '../../../src/compose/graph.js';
import type { Project } from '../../../src/compose/model.js';
import { project, failure } from '../../support/compose.js';

const names = (p: Project): string[] => Object.keys(p.services).sort();

// The example of the Compose specification's profiles section.
const SPEC = project(`
services:
  web:
    image: web_image
  test_lib:
    image: test_lib_image
    profiles:
      - test
  coverage_lib:
    image: coverage_lib_image
    depends_on:
      - test_lib
    profiles:
      - test
  debug_lib:
    image: debug_lib_image
    depends_on:
      - test_lib
    profiles:
      - debug
`);

// The example of Compose's guide to profiles, with one more service in the dev profile.
const GUIDE = project(`
services:
  web: {image: web}
  mock-backend: {image: backend, profiles: [dev], depends_on: [db]}
  db: {image: mysql, profiles: [dev]}
  dev-tools: {image: tools, profiles: [dev]}
  phpmyadmin: {image: phpmyadmin, profiles: [debug], depends_on: [db]}
`);

describe('applyProfiles', () => {
  it('keeps only services without profiles when none is active', () => {
    expect(names(applyProfiles(SPEC, { active: [] }))).toEqual(['web']);
  });

  it('enables the services of an active profile', () => {
    const loaded = applyProfiles(SPEC, { active: ['test'] });
    expect(names(loaded)).toEqual(['coverage_lib', 'test_lib', 'web']);
    expect(() => checkConsistency(loaded)).not.toThrow();
  });

  it('enables every profile with *', () => {
    expect(names(applyProfiles(SPEC, { active: ['*'] }))).toEqual(['coverage_lib', 'debug_lib', 'test_lib', 'web']);
  });

  it('makes a dependency on a disabled service an error, naming the profile that enables it', () => {
    const loaded = applyProfiles(SPEC, { active: ['debug'] });
    expect(names(loaded)).toEqual(['debug_lib', 'web']);
    const error = failure(() => checkConsistency(loaded));
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "debug_lib" depends on undefined service "test_lib"');
    expect(error.path).toBe('services.debug_lib.depends_on.test_lib');
    expect(error.hint).toContain('--profile test');
  });

  it('lets a depends_on with required: false point at a disabled service', () => {
    const loaded = applyProfiles(project(`
services:
  web: {image: web, depends_on: {metrics: {condition: service_started, required: false}}}
  metrics: {image: metrics, profiles: [monitoring]}
`), { active: [] });
    expect(names(loaded)).toEqual(['web']);
    expect(() => checkConsistency(loaded)).not.toThrow();
    expect(buildGraph(loaded).dependencies('web')).toEqual([]);
  });

  it('enables a service named on the command line and what it needs from its own profile, not the rest', () => {
    const loaded = applyProfiles(GUIDE, { active: [], services: ['mock-backend'] });
    expect(names(loaded)).toEqual(['db', 'mock-backend', 'web']);
    expect(() => checkConsistency(loaded)).not.toThrow();
  });

  it('does not enable a dependency in another, inactive profile of a named service', () => {
    const loaded = applyProfiles(GUIDE, { active: [], services: ['phpmyadmin'] });
    expect(names(loaded)).toEqual(['phpmyadmin', 'web']);
    const error = failure(() => checkConsistency(loaded));
    expect(error.message).toBe('service "phpmyadmin" depends on undefined service "db"');
    expect(error.hint).toContain('dev');
    expect(names(applyProfiles(GUIDE, { active: ['dev'], services: ['phpmyadmin'] })))
      .toEqual(['db', 'dev-tools', 'mock-backend', 'phpmyadmin', 'web']);
  });

  it('follows a dependency chain through services without profiles', () => {
    const loaded = applyProfiles(project(`
services:
  job: {image: job, profiles: [batch], depends_on: [api]}
  api: {image: api, depends_on: [queue]}
  queue: {image: queue, profiles: [batch]}
  report: {image: report, profiles: [batch]}
`), { active: [], services: ['job'] });
    expect(names(loaded)).toEqual(['api', 'job', 'queue']);
  });

  it('leaves its input unchanged', () => {
    applyProfiles(SPEC, { active: [] });
    expect(names(SPEC)).toEqual(['coverage_lib', 'debug_lib', 'test_lib', 'web']);
  });
});

describe('listProfiles', () => {
  it('lists every profile once, sorted, including those of disabled services', () => {
    expect(listProfiles(SPEC)).toEqual(['debug', 'test']);
    expect(listProfiles(applyProfiles(GUIDE, { active: [] }))).toEqual(['debug', 'dev']);
    expect(listProfiles(project('services: {web: {image: web}}'))).toEqual([]);
  });
});

describe('selectServices', () => {
  const stack = project(`
services:
  web: {image: web, depends_on: [api]}
  api: {image: api, depends_on: [db], network_mode: "service:vpn"}
  db: {image: db}
  vpn: {image: vpn}
  web-admin: {image: admin}
`);

  it('keeps the named services and everything they need', () => {
    expect(names(selectServices(stack, ['web'], { withDependencies: true }))).toEqual(['api', 'db', 'vpn', 'web']);
  });

  it('keeps only the named services without dependencies, and drops depends_on on the others', () => {
    const selected = selectServices(stack, ['web'], { withDependencies: false });
    expect(names(selected)).toEqual(['web']);
    expect(selected.services.web?.depends_on).toEqual({});
    expect(stack.services.web?.depends_on).toHaveProperty('api');
  });

  it('accepts glob patterns as Compose does', () => {
    expect(names(selectServices(stack, ['web*'], { withDependencies: false }))).toEqual(['web', 'web-admin']);
    expect(names(selectServices(stack, ['[dv]*'], { withDependencies: false }))).toEqual(['db', 'vpn']);
  });

  it('returns the project as it is when no name is given', () => {
    expect(selectServices(stack, [], { withDependencies: true })).toBe(stack);
  });

  it('refuses an unknown name, suggesting the nearest', () => {
    const error = failure(() => selectServices(stack, ['wbe'], { withDependencies: true }));
    expect(error.code).toBe('COMPOSE_NO_SERVICE');
    expect(error.message).toBe('no such service: wbe');
    expect(error.hint).toBe('did you mean "web"?');
  });

  it('says which profile enables a service that profiles disabled', () => {
    const error = failure(() => selectServices(applyProfiles(GUIDE, { active: [] }), ['db'], { withDependencies: true }));
    expect(error.code).toBe('COMPOSE_NO_SERVICE');
    expect(error.hint).toContain('dev');
  });
});
