import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toCanonical } from '../../../src/compose/canonical/index.js';
import { applyDefaults, resolveServicePaths } from '../../../src/compose/defaults.js';
import type { Dict } from '../../../src/compose/types.js';

const context = { projectName: 'shop', projectDir: '/srv/shop', homeDir: '/home/ann' };

function withDefaults(yaml: string, ctx: typeof context | Omit<typeof context, 'homeDir'> = context): Dict {
  return applyDefaults(toCanonical(parse(yaml) as Dict, 'compose.yaml'), ctx);
}

const service = (project: Dict, name = 'web'): Dict => (project.services as Dict)[name] as Dict;

describe('applyDefaults', () => {
  it('names the project, attaches services to the default network and names every resource', () => {
    const project = withDefaults(`
name: ignored
services:
  web: {image: nginx}
  db: {image: postgres, networks: [back]}
networks:
  back:
  shared: {external: true}
  fixed: {name: my-net}
volumes:
  data:
  old: {external: {name: legacy}}
secrets:
  token: {file: ./token.txt}
configs:
  app: {file: ~/app.conf}
`);
    expect(project.name).toBe('shop');
    expect(service(project).networks).toEqual({ default: null });
    expect(service(project, 'db').networks).toEqual({ back: null });
    expect(project.networks).toEqual({
      back: { name: 'shop_back' },
      shared: { external: true, name: 'shared' },
      fixed: { name: 'my-net' },
      default: { name: 'shop_default' },
    });
    expect(project.volumes).toEqual({ data: { name: 'shop_data' }, old: { external: true, name: 'legacy' } });
    expect(project.secrets).toEqual({ token: { file: '/srv/shop/token.txt', name: 'shop_token' } });
    expect(project.configs).toEqual({ app: { file: '/home/ann/app.conf', name: 'shop_app' } });
  });

  it('adds no default network when no service uses it, and keeps a declared one', () => {
    const none = withDefaults('services:\n  web: {image: a, network_mode: host}\n');
    expect(service(none).networks).toBeUndefined();
    expect(none.networks).toBeUndefined();
    const declared = withDefaults('services:\n  web: {image: a}\nnetworks:\n  default: {driver: bridge, name: custom}\n');
    expect(declared.networks).toEqual({ default: { driver: 'bridge', name: 'custom' } });
  });

  it('makes relative paths absolute against the project dir and expands ~', () => {
    const web = service(withDefaults(`
services:
  web:
    build: {context: ./app, additional_contexts: {base: ../base, img: "docker-image://alpine", svc: "service:other"}}
    env_file: [.env, /etc/app.env]
    label_file: ./labels
    volumes: ["./src:/app", "~/cache:/cache", "data:/data", "/abs:/abs"]
    develop: {watch: [{action: sync, path: ./web, target: /web}]}
`));
    expect(web.build).toEqual({
      context: '/srv/shop/app',
      additional_contexts: { base: '/srv/base', img: 'docker-image://alpine', svc: 'service:other' },
      dockerfile: 'Dockerfile',
    });
    expect(web.env_file).toEqual([{ path: '/srv/shop/.env', required: true }, { path: '/etc/app.env', required: true }]);
    expect(web.label_file).toEqual(['/srv/shop/labels']);
    expect((web.volumes as Dict[]).map((v) => v.source)).toEqual(['/srv/shop/src', '/home/ann/cache', 'data', '/abs']);
    expect(web.develop).toEqual({ watch: [{ action: 'sync', path: '/srv/shop/web', target: '/web' }] });
  });

  it('keeps ~ when no home dir is given', () => {
    const web = service(withDefaults('services:\n  web: {image: a, volumes: ["~/x:/x"]}\n', { projectName: 'p', projectDir: '/p' }));
    expect((web.volumes as Dict[])[0]?.source).toBe('~/x');
  });

  it('keeps remote build contexts and defaults the context and the Dockerfile', () => {
    const project = withDefaults(`
services:
  a: {build: "https://github.com/org/repo.git#main"}
  b: {build: {dockerfile_inline: "FROM scratch"}}
  c: {build: "git@github.com:org/repo.git"}
`);
    expect(service(project, 'a').build).toEqual({ context: 'https://github.com/org/repo.git#main', dockerfile: 'Dockerfile' });
    expect(service(project, 'b').build).toEqual({ context: '/srv/shop', dockerfile_inline: 'FROM scratch' });
    expect(service(project, 'c').build).toEqual({ context: 'git@github.com:org/repo.git', dockerfile: 'Dockerfile' });
  });

  it('sets the defaults Compose prints for secrets, pull policy and device requests', () => {
    const web = service(withDefaults(`
services:
  web:
    image: a
    pull_policy: if_not_present
    secrets: [token, {source: cert, target: /etc/cert}]
    gpus: [{driver: nvidia}]
    deploy: {resources: {reservations: {devices: [{capabilities: [gpu]}, {capabilities: [gpu], device_ids: ["0"]}]}}}
`));
    expect(web.pull_policy).toBe('missing');
    expect(web.secrets).toEqual([{ source: 'token', target: '/run/secrets/token' }, { source: 'cert', target: '/etc/cert' }]);
    expect(web.gpus).toEqual([{ driver: 'nvidia', count: 'all' }]);
    expect(web.deploy).toEqual({
      resources: { reservations: { devices: [{ capabilities: ['gpu'], count: 'all' }, { capabilities: ['gpu'], device_ids: ['0'] }] } },
    });
  });

  it('adds the dependencies implied by links, volumes_from and service: namespaces', () => {
    const web = service(withDefaults(`
services:
  web:
    image: a
    depends_on: {db: {condition: service_healthy}}
    links: ["db:database", cache]
    volumes_from: ["store:ro", "container:other"]
    network_mode: "service:vpn"
    ipc: "service:cache"
`));
    expect(web.depends_on).toEqual({
      db: { condition: 'service_healthy', required: true },
      cache: { condition: 'service_started', restart: true, required: true },
      vpn: { condition: 'service_started', restart: true, required: true },
      store: { condition: 'service_started', restart: false, required: true },
    });
    expect(web.networks).toBeUndefined();
  });

  it('makes the device of a local bind volume absolute', () => {
    const project = withDefaults('services: {}\nvolumes:\n  data: {driver: local, driver_opts: {type: none, o: bind, device: ./data}}\n');
    expect(project.volumes).toEqual({ data: { driver: 'local', driver_opts: { type: 'none', o: 'bind', device: '/srv/shop/data' }, name: 'shop_data' } });
  });

  it('does not modify its input', () => {
    const input = toCanonical(parse('services:\n  web: {build: ., volumes: ["./a:/a"]}\n') as Dict, 'compose.yaml');
    const before = structuredClone(input);
    applyDefaults(input, context);
    expect(input).toEqual(before);
  });
});

describe('resolveServicePaths', () => {
  it('resolves a service against a directory, leaving named volumes and absolute paths', () => {
    const resolved = resolveServicePaths(
      { build: { context: '.' }, env_file: [{ path: 'x.env', required: true }], volumes: [{ type: 'volume', source: 'v', target: '/v' }] },
      '/other/dir',
    );
    expect(resolved).toEqual({
      build: { context: '/other/dir' },
      env_file: [{ path: '/other/dir/x.env', required: true }],
      volumes: [{ type: 'volume', source: 'v', target: '/v' }],
    });
  });
});
