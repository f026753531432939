import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { applyExtends } from '../../../src/compose/extends.js';
import { TscError } from '../../../src/errors/index.js';
import type { Dict } from '../../../src/compose/types.js';

const CORPUS = resolve(import.meta.dirname, '../../../../shared/corpus');

/** Resolves extends in an inline file at /project/compose.yaml; `files` are the other files by absolute path. */
function resolveInline(yaml: string, files: Record<string, string> = {}): { services: Dict; loads: string[] } {
  const loads: string[] = [];
  const load = (path: string): Dict => {
    loads.push(path);
    const text = files[path];
    if (text === undefined) throw new TscError('COMPOSE_FILE_NOT_FOUND', `open ${path}: no such file or directory`);
    return parse(text) as Dict;
  };
  const data = applyExtends(parse(yaml) as Dict, { file: '/project/compose.yaml', workingDir: '/project', load });
  return { services: data.services as Dict, loads };
}

function errorOf(run: () => unknown): TscError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(TscError);
    return err as TscError;
  }
  throw new Error('expected an error');
}

describe('applyExtends', () => {
  it('merges the local definition over a service of the same file (the spec example)', () => {
    const { services } = resolveInline(`
services:
  common:
    image: busybox
    environment: {TZ: utc, PORT: "80"}
  cli:
    extends:
      service: common
    environment: [PORT=8080]
`);
    expect(services.cli).toEqual({ image: 'busybox', environment: { TZ: 'utc', PORT: '8080' } });
    expect(services.common).toEqual({ image: 'busybox', environment: { TZ: 'utc', PORT: '80' } });
  });

  it('replaces a volume mounted on the same target and appends unique sequence entries', () => {
    const { services } = resolveInline(`
services:
  common:
    image: busybox
    volumes: ["common-volume:/var/lib/backup/data:rw"]
    security_opt: ["label:role:ROLE"]
  cli:
    extends: common
    volumes: ["cli-volume:/var/lib/backup/data:ro"]
    security_opt: ["label:user:USER", "label:role:ROLE"]
`);
    expect(services.cli).toEqual({
      image: 'busybox',
      volumes: [{ type: 'volume', source: 'cli-volume', target: '/var/lib/backup/data', read_only: true, volume: {} }],
      security_opt: ['label:role:ROLE', 'label:user:USER'],
    });
  });

  it('follows chains of extends and inherits every attribute, dependencies included', () => {
    const { services } = resolveInline(`
services:
  base: {image: busybox, user: root, depends_on: [db], ports: ["8080:80"]}
  common: {image: busybox, extends: {service: base}}
  cli: {extends: {service: common}}
  db: {image: postgres}
`);
    expect(services.cli).toEqual({
      image: 'busybox',
      user: 'root',
      depends_on: { db: { condition: 'service_started', required: true } },
      ports: [{ mode: 'ingress', target: 80, published: '8080', protocol: 'tcp' }],
    });
  });

  it('reads services from another file relative to this one and makes their relative paths absolute', () => {
    const { services, loads } = resolveInline(
      `
services:
  web:
    extends: {file: common/services.yaml, service: webapp}
    environment: {MODE: prod}
`,
      {
        '/project/common/services.yaml': `
services:
  webapp:
    build: ./app
    env_file: [web.env]
    volumes: ["./static:/static", "cache:/cache", "/abs:/abs", "~/home:/home"]
    environment: {MODE: dev, A: "1"}
    ports: ["8000:80"]
  remote:
    build: https://github.com/example/repo.git
`,
      },
    );
    expect(loads).toEqual(['/project/common/services.yaml']);
    expect(services.web).toEqual({
      build: { context: '/project/common/app' },
      env_file: [{ path: '/project/common/web.env', required: true }],
      volumes: [
        { type: 'bind', source: '/project/common/static', target: '/static', bind: { create_host_path: true } },
        { type: 'volume', source: 'cache', target: '/cache', volume: {} },
        { type: 'bind', source: '/abs', target: '/abs', bind: { create_host_path: true } },
        { type: 'bind', source: '~/home', target: '/home', bind: { create_host_path: true } },
      ],
      environment: { MODE: 'prod', A: '1' },
      ports: [{ mode: 'ingress', target: 80, published: '8000', protocol: 'tcp' }],
    });
  });

  it('keeps remote build contexts as they are', () => {
    const { services } = resolveInline('services:\n  web:\n    extends: {file: other.yaml, service: remote}\n', {
      '/project/other.yaml': 'services:\n  remote:\n    build: https://github.com/example/repo.git#main\n',
    });
    expect(services.web).toEqual({ build: { context: 'https://github.com/example/repo.git#main' } });
  });

  it('resolves extends inside the other file relative to that file', () => {
    const { services } = resolveInline('services:\n  test:\n    extends: {file: dir/compose.yaml, service: test}\n', {
      '/project/dir/compose.yaml': 'services:\n  test:\n    extends: {file: base.yaml, service: test}\n    env_file: local.env\n',
      '/project/dir/base.yaml': 'services:\n  test:\n    image: hello-world\n    build: ctx\n',
    });
    expect(services.test).toEqual({
      image: 'hello-world',
      build: { context: '/project/dir/ctx' },
      env_file: [{ path: '/project/dir/local.env', required: true }],
    });
  });

  it('reports a service that is not there, with the path of the extends', () => {
    const err = errorOf(() => resolveInline('services:\n  web:\n    extends: nope\n'));
    expect(err.code).toBe('COMPOSE_EXTENDS');
    expect(err.message).toBe('cannot extend service "web": service "nope" not found');
    expect(err.path).toBe('services.web.extends');
    const other = errorOf(() => resolveInline('services:\n  web:\n    extends: {file: o.yaml, service: nope}\n', { '/project/o.yaml': 'services:\n  a: {image: a}\n' }));
    expect(other.message).toContain('not found in o.yaml');
  });

  it('reports circular references', () => {
    const err = errorOf(() => resolveInline('services:\n  a: {extends: b}\n  b: {extends: c}\n  c: {extends: a}\n'));
    expect(err.code).toBe('COMPOSE_EXTENDS');
    expect(err.message).toBe('circular reference: a -> b -> c -> a');
    expect(err.path).toBe('services.a.extends');
    expect(errorOf(() => resolveInline('services:\n  a: {image: x, extends: a}\n')).message).toBe('circular reference: a -> a');
  });

  it('reports circular references across files', () => {
    const err = errorOf(() =>
      resolveInline('services:\n  a:\n    extends: {file: other.yaml, service: b}\n', {
        '/project/other.yaml': 'services:\n  b:\n    extends: {file: compose.yaml, service: a}\n',
        '/project/compose.yaml': 'services:\n  a:\n    extends: {file: other.yaml, service: b}\n',
      }),
    );
    expect(err.message).toBe('circular reference: a -> other.yaml:b -> a');
  });

  it('wraps a missing file with the service that needs it', () => {
    const err = errorOf(() => resolveInline('services:\n  web:\n    extends: {file: missing.yaml, service: x}\n'));
    expect(err.code).toBe('COMPOSE_FILE_NOT_FOUND');
    expect(err.message).toContain('cannot extend service "web"');
    expect(err.path).toBe('services.web.extends.file');
  });

  it('names the other file when its service has malformed short syntax', () => {
    const err = errorOf(() => resolveInline('services:\n  web:\n    extends: {file: o.yaml, service: b}\n', { '/project/o.yaml': 'services:\n  b:\n    ports: ["abc:80"]\n' }));
    expect(err.code).toBe('COMPOSE_INVALID');
    expect(err.location).toEqual({ file: '/project/o.yaml' });
  });

  it('leaves services without extends as they are and files without services untouched', () => {
    const data = { services: { web: { image: 'a', ports: ['80'] } } };
    expect(applyExtends(data, { file: '/p/c.yaml', workingDir: '/p', load: () => ({}) })).toEqual(data);
    expect(applyExtends({ name: 'x' }, { file: '/p/c.yaml', workingDir: '/p', load: () => ({}) })).toEqual({ name: 'x' });
  });

  it('resolves the corpus chain across directories and the env_file of an extended file', () => {
    const load = (path: string): Dict => parse(readFileSync(path, 'utf8')) as Dict;
    const chainFile = resolve(CORPUS, 'compose-go/loader/testdata/extends/withdir/compose.yaml');
    const chain = applyExtends(load(chainFile), { file: chainFile, workingDir: dirname(chainFile), load });
    expect(chain.services).toEqual({ test: { image: 'hello-world' } });

    const importer = resolve(CORPUS, 'compose-go/loader/testdata/compose-test-extends.yaml');
    const data = applyExtends(load(importer), { file: importer, workingDir: dirname(importer), load });
    const service = (data.services as Dict).importer as Dict;
    expect(service.env_file).toEqual([{ path: resolve(CORPUS, 'compose-go/loader/testdata/subdir/extra.env'), required: true }]);
  });
});
