import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyInclude, type IncludeContext, type IncludeRequest } from '../../../src/compose/include.js';
import type { Dict } from '../../../src/compose/types.js';
import { TscError } from '../../../src/errors/index.js';
import { failure } from '../../support/compose.js';

const yaml = (text: string): Dict => parse(text) as Dict;

/** A loader over in-memory projects by main file; records what it was asked. */
function fakeLoader(projects: Record<string, Dict>): { requests: IncludeRequest[]; loadProject: (r: IncludeRequest) => Dict } {
  const requests: IncludeRequest[] = [];
  return {
    requests,
    loadProject: (request) => {
      requests.push(request);
      const found = projects[request.files[0] ?? ''];
      if (found === undefined) {
        throw new TscError('COMPOSE_FILE_NOT_FOUND', `open ${request.files[0]}: no such file or directory`);
      }
      return found;
    },
  };
}

function context(loadProject: IncludeContext['loadProject'], extra: Partial<IncludeContext> = {}): IncludeContext {
  return { file: '/p/compose.yaml', projectDir: '/p', seen: ['/p/compose.yaml'], loadProject, ...extra };
}

const BACKEND = yaml(`
name: backend
services:
  api: {image: api, networks: {default: null}}
  db: {image: postgres, volumes: [{type: volume, source: pgdata, target: /var/lib/postgresql/data}]}
volumes:
  pgdata: {}
secrets:
  token: {file: /p/backend/token.txt}
`);

describe('applyInclude: loading', () => {
  it('loads a short-form entry as its own project and adds its resources', () => {
    const loader = fakeLoader({ '/p/backend/compose.yaml': BACKEND });
    const data = yaml(`
include:
  - backend/compose.yaml
services:
  web: {image: web, depends_on: [api]}
`);
    const out = applyInclude(data, context(loader.loadProject));
    expect(loader.requests).toEqual([{
      files: ['/p/backend/compose.yaml'],
      projectDir: '/p/backend',
      envFiles: [],
      seen: ['/p/compose.yaml', '/p/backend/compose.yaml'],
    }]);
    expect(Object.keys(out.services as Dict)).toEqual(['web', 'api', 'db']);
    expect(out.volumes).toEqual({ pgdata: {} });
    expect(out.secrets).toEqual({ token: { file: '/p/backend/token.txt' } });
    expect(out).not.toHaveProperty('include');
    expect(out).not.toHaveProperty('name', 'backend');
    expect(data).toHaveProperty('include');
    expect(Object.keys(data.services as Dict)).toEqual(['web']);
  });

  it('resolves the long form: path list, project_directory and env_file against the project dir', () => {
    const loader = fakeLoader({ '/p/app/include/dir/compose.yaml': yaml('services: {x: {image: x}}') });
    const data = yaml(`
include:
  - path: [include/dir/compose.yaml, include/override.yaml]
    project_directory: ../subdir
    env_file: [include/extra.env, /abs/other.env]
`);
    const out = applyInclude(data, context(loader.loadProject, { projectDir: '/p/app', file: '/p/app/compose.yaml', seen: ['/p/app/compose.yaml'] }));
    expect(loader.requests[0]).toEqual({
      files: ['/p/app/include/dir/compose.yaml', '/p/app/include/override.yaml'],
      projectDir: '/p/subdir',
      envFiles: ['/p/app/include/extra.env', '/abs/other.env'],
      seen: ['/p/app/compose.yaml', '/p/app/include/dir/compose.yaml'],
    });
    expect(out.services).toEqual({ x: { image: 'x' } });
  });

  it('reads a path string and a single env_file in the long form', () => {
    const loader = fakeLoader({ '/p/a.yaml': yaml('services: {a: {image: a}}') });
    applyInclude(yaml('include: [{path: a.yaml, env_file: a.env}]'), context(loader.loadProject));
    expect(loader.requests[0]?.files).toEqual(['/p/a.yaml']);
    expect(loader.requests[0]?.envFiles).toEqual(['/p/a.env']);
    expect(loader.requests[0]?.projectDir).toBe('/p');
  });

  it('returns the data without include when there is none', () => {
    const loader = fakeLoader({});
    expect(applyInclude(yaml('services: {a: {image: a}}'), context(loader.loadProject))).toEqual(yaml('services: {a: {image: a}}'));
    expect(loader.requests).toEqual([]);
  });
});

describe('applyInclude: conflicts', () => {
  it('refuses a resource the including file defines differently, naming both files', () => {
    const loader = fakeLoader({ '/p/backend/compose.yaml': BACKEND });
    const error = failure(() => applyInclude(yaml(`
include: [backend/compose.yaml]
services:
  db: {image: mysql}
`), context(loader.loadProject)));
    expect(error.code).toBe('COMPOSE_INCLUDE');
    expect(error.message).toBe('services.db conflicts with imported resource: defined in /p/compose.yaml and in /p/backend/compose.yaml');
    expect(error.path).toBe('services.db');
    expect(error.hint).toContain('backend/compose.yaml, override.yaml');
  });

  it('refuses two included files that define one resource differently', () => {
    const loader = fakeLoader({
      '/p/a.yaml': yaml('networks: {shared: {driver: bridge}}'),
      '/p/b.yaml': yaml('networks: {shared: {driver: macvlan}}'),
    });
    const error = failure(() => applyInclude(yaml('include: [a.yaml, b.yaml]'), context(loader.loadProject)));
    expect(error.message).toBe('networks.shared conflicts with imported resource: defined in /p/a.yaml and in /p/b.yaml');
  });

  it('keeps once a resource reached twice with the same definition', () => {
    const common = yaml('services: {redis: {image: redis, ports: [{target: 6379, protocol: tcp, mode: ingress}]}}');
    const loader = fakeLoader({
      '/p/a.yaml': { services: { a: { image: 'a' }, ...(common.services as Dict) } },
      '/p/b.yaml': { services: { ...(common.services as Dict), b: { image: 'b' } } },
    });
    const out = applyInclude(yaml('include: [a.yaml, b.yaml]'), context(loader.loadProject));
    expect(Object.keys(out.services as Dict)).toEqual(['a', 'redis', 'b']);
  });
});

describe('applyInclude: cycles and missing files', () => {
  it('refuses a file that includes itself (compose-include-cycle.yaml)', () => {
    const loader = fakeLoader({});
    const data = yaml(`
include:
  - compose-include-cycle.yaml

name: project
services:
  foo:
    image: foo
`);
    const file = '/t/compose-include-cycle.yaml';
    const error = failure(() => applyInclude(data, context(loader.loadProject, { file, projectDir: '/t', seen: [file] })));
    expect(error.code).toBe('COMPOSE_INCLUDE');
    expect(error.message).toBe(`include cycle detected: ${file} -> ${file}`);
    expect(error.path).toBe('include[0]');
    expect(loader.requests).toEqual([]);
  });

  it('refuses a cycle through several files, naming them in order', () => {
    const files: Record<string, Dict> = {
      '/p/a.yaml': yaml('include: [b.yaml]\nservices: {a: {image: a}}'),
      '/p/b.yaml': yaml('include: [c.yaml]\nservices: {b: {image: b}}'),
      '/p/c.yaml': yaml('include: [a.yaml]\nservices: {c: {image: c}}'),
    };
    const loadProject = (request: IncludeRequest): Dict => {
      const file = request.files[0] ?? '';
      return applyInclude(files[file] ?? {}, { file, projectDir: request.projectDir, seen: request.seen, loadProject });
    };
    const error = failure(() => applyInclude(files['/p/a.yaml'] ?? {}, context(loadProject, { file: '/p/a.yaml', seen: ['/p/a.yaml'] })));
    expect(error.code).toBe('COMPOSE_INCLUDE');
    expect(error.message).toBe('include cycle detected: /p/a.yaml -> /p/b.yaml -> /p/c.yaml -> /p/a.yaml');
  });

  it('loads nested includes without a cycle', () => {
    const files: Record<string, Dict> = {
      '/p/b/compose.yaml': yaml('include: [../c/compose.yaml]\nservices: {b: {image: b}}'),
      '/p/c/compose.yaml': yaml('services: {c: {image: c}}'),
    };
    const loadProject = (request: IncludeRequest): Dict => {
      const file = request.files[0] ?? '';
      return applyInclude(files[file] ?? {}, { file, projectDir: request.projectDir, seen: request.seen, loadProject });
    };
    const out = applyInclude(yaml('include: [b/compose.yaml]\nservices: {a: {image: a}}'), context(loadProject));
    expect(Object.keys(out.services as Dict)).toEqual(['a', 'b', 'c']);
  });

  it('reports a missing included file by name before loading it', () => {
    const loader = fakeLoader({});
    const exists = (path: string): boolean => path !== '/p/missing.yaml';
    const error = failure(() => applyInclude(yaml('include: [missing.yaml]'), context(loader.loadProject, { exists })));
    expect(error.code).toBe('COMPOSE_FILE_NOT_FOUND');
    expect(error.message).toContain('/p/missing.yaml');
    expect(error.path).toBe('include[0]');
    expect(loader.requests).toEqual([]);
  });

  it('says which include a file the loader could not find came from', () => {
    const loader = fakeLoader({});
    const error = failure(() => applyInclude(yaml('include: [a.yaml, missing.yaml]'), context(loader.loadProject)));
    expect(error.code).toBe('COMPOSE_FILE_NOT_FOUND');
    expect(error.message).toBe('include[0] of /p/compose.yaml: open /p/a.yaml: no such file or directory');
    expect(error.path).toBe('include[0]');
    expect(error.hint).toContain('relative paths start from /p');
  });

  it('reports a missing env_file of an include', () => {
    const loader = fakeLoader({ '/p/a.yaml': {} });
    const exists = (path: string): boolean => path !== '/p/a.env';
    const error = failure(() => applyInclude(yaml('include: [{path: a.yaml, env_file: a.env}]'), context(loader.loadProject, { exists })));
    expect(error.code).toBe('COMPOSE_ENV_FILE');
    expect(error.message).toContain('/p/a.env');
  });

  it('refuses a malformed include', () => {
    const loader = fakeLoader({});
    expect(failure(() => applyInclude({ include: 'a.yaml' }, context(loader.loadProject))).code).toBe('COMPOSE_INCLUDE');
    const error = failure(() => applyInclude({ include: [{ project_directory: '.' }] }, context(loader.loadProject)));
    expect(error.code).toBe('COMPOSE_INCLUDE');
    expect(error.path).toBe('include[0]');
  });
});
