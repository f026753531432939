import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConsistency } from '../../../src/compose/consistency.js';
import { toCanonical } from '../../../src/compose/canonical/index.js';
import type { Project } from '../../../src/compose/model.js';
import type { Dict } from '../../../src/compose/types.js';
import { TscError } from '../../../src/errors/index.js';

function project(text: string): Project {
  const data = toCanonical(parse(text) as Dict, '/p/compose.yaml');
  return { name: 'p', ...data, services: (data.services ?? {}) as Project['services'] } as Project;
}

function failure(text: string | Project): TscError {
  try {
    checkConsistency(typeof text === 'string' ? project(text) : text);
  } catch (err) {
    if (err instanceof TscError) return err;
    throw err;
  }
  throw new Error('expected a TscError');
}

describe('checkConsistency: a consistent project', () => {
  it('passes a project that uses every kind of reference correctly', () => {
    const ok = project(`
services:
  web:
    image: web
    build: {context: ., platforms: [linux/amd64, linux/arm64], additional_contexts: {base: "service:base"}, secrets: [token]}
    platform: linux/amd64
    depends_on: {db: {condition: service_healthy}, cache: {condition: service_started, required: false}}
    networks: [front, default]
    volumes: [data:/data, ./src:/src, /anonymous]
    secrets: [token]
    configs: [nginx]
    models: [llm]
    links: [db:database]
    volumes_from: [db:ro, container:legacy]
    scale: 2
    deploy: {replicas: 2, resources: {limits: {memory: 512m, cpus: "0.5"}}}
    mem_limit: 536870912
    cpus: 0.5
    healthcheck: {test: curl -f http://localhost}
    develop: {watch: [{path: ./src, action: sync, target: /src}, {path: ./package.json, action: rebuild}, {path: ./conf, action: restart}, {path: ./x, action: sync+exec, target: /x, exec: {command: [echo, hi]}}]}
  db: {image: db, container_name: the-db}
  base: {build: ./base}
  sidecar: {image: sidecar, network_mode: "service:web"}
  llm-runner: {provider: {type: model}}
networks: {default: {}, front: {}}
volumes: {data: {}, old: {external: true, name: old}}
secrets: {token: {file: ./token.txt}, ext: {external: true}}
configs: {nginx: {content: "server {}"}}
models: {llm: {model: ai/smollm2}}
`);
    expect(() => checkConsistency(ok)).not.toThrow();
  });
});

describe('checkConsistency: what a service runs', () => {
  it('needs an image or a build (docker-compose-e2e/config/no-consistency.yaml)', () => {
    const error = failure(`
services:
  incomplete:
    volumes:
      - data:/data
volumes:
  data:
`);
    expect(error.code).toBe('COMPOSE_INVALID');
    expect(error.message).toBe('service "incomplete" has neither an image nor a build context specified');
    expect(error.path).toBe('services.incomplete');
    expect(error.hint).toContain('image');
  });

  it('refuses dockerfile with dockerfile_inline', () => {
    const error = failure('services: {web: {build: {context: ., dockerfile: Dockerfile, dockerfile_inline: "FROM scratch"}}}');
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.path).toBe('services.web.build');
  });

  it('needs build.platforms to include the service platform (compose-service-platform-not-in-build-platforms.yaml)', () => {
    const error = failure(`
services:
  platforms:
    image: build-test-platform:test
    platform: linux/riscv64
    build:
      context: .
      platforms:
        - linux/amd64
        - linux/arm64
`);
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toContain('service.build.platforms MUST include service.platform "linux/riscv64"');
    expect(error.hint).toContain('linux/amd64, linux/arm64');
  });

  it('needs healthcheck.test to start with its kind', () => {
    const error = failure('services: {web: {image: web, healthcheck: {test: [curl, -f, http://localhost]}}}');
    expect(error.code).toBe('COMPOSE_INVALID');
    expect(error.path).toBe('services.web.healthcheck.test');
  });

  it('needs a target for watch actions that copy files', () => {
    const error = failure('services: {web: {image: web, develop: {watch: [{path: ./src, action: sync+restart}]}}}');
    expect(error.code).toBe('COMPOSE_INVALID');
    expect(error.message).toContain('target is required for non-rebuild actions');
    expect(error.path).toBe('services.web.develop.watch[0]');
  });

  it('needs a command for sync+exec', () => {
    const error = failure('services: {web: {image: web, develop: {watch: [{path: ./src, action: sync+exec, target: /src}]}}}');
    expect(error.code).toBe('COMPOSE_INVALID');
    expect(error.message).toContain('exec.command');
  });
});

describe('checkConsistency: mounts and devices', () => {
  it('needs a source for a bind mount (TestLoadBindMountSourceMustNotBeEmpty)', () => {
    const error = failure(`
name: load-bind-mount-source-must-not-be-empty
services:
  tmpfs:
    image: nginx:latest
    volumes:
      - type: bind
        target: /app
`);
    expect(error.code).toBe('COMPOSE_INVALID');
    expect(error.message).toContain('invalid mount config for type "bind": field Source must not be empty');
    expect(error.path).toBe('services.tmpfs.volumes[0]');
  });

  it('refuses count with device_ids (TestServiceDeviceRequestCountAndDeviceIdsExclusive)', () => {
    const error = failure(`
name: service-device-request-count-type
services:
  hello-world:
    image: redis:alpine
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
              capabilities: [gpu]
              count: 2
              device_ids: ["my-device-id"]
`);
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toContain('"count" and "device_ids" attributes are exclusive');
    expect(error.path).toBe('services.hello-world.deploy.resources.reservations.devices[0]');
  });

  it('refuses count with device_ids under gpus too', () => {
    const error = failure('services: {ml: {image: ml, gpus: [{driver: nvidia, count: 1, device_ids: ["0"]}]}}');
    expect(error.path).toBe('services.ml.gpus[0]');
  });
});

describe('checkConsistency: references to the top level', () => {
  it('refuses an undefined network (compose-spec/extension-function), suggesting the nearest', () => {
    const error = failure(`
services:
  nodeinfo:
    image: functions/nodeinfo:latest
    depends_on: [gateway]
    networks: [functions]
networks:
  function: {}
  default: {}
`);
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "nodeinfo" refers to undefined network "functions"');
    expect(error.path).toBe('services.nodeinfo.networks.functions');
    expect(error.hint).toContain('did you mean "function"?');
  });

  it('lists the defined names when none is near', () => {
    const error = failure('services: {web: {image: web, networks: [zzz]}}\nnetworks: {front: {}, back: {}}');
    expect(error.hint).toContain('"back", "front"');
  });

  it('refuses an undeclared named volume but not a bind mount or an anonymous volume', () => {
    const error = failure('services: {db: {image: db, volumes: [./x:/x, /y, pgdata:/var/lib/postgresql/data]}}');
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "db" refers to undefined volume "pgdata"');
    expect(error.path).toBe('services.db.volumes[2]');
    expect(error.hint).toContain('top-level volumes');
  });

  it('refuses undefined secrets, configs, build secrets and models', () => {
    const secrets = failure('services: {web: {image: web, secrets: [token]}}');
    expect(secrets.message).toBe('service "web" refers to undefined secret "token"');
    expect(secrets.path).toBe('services.web.secrets[0]');
    const configs = failure('services: {web: {image: web, configs: [{source: nginx, target: /etc/nginx.conf}]}}');
    expect(configs.message).toBe('service "web" refers to undefined config "nginx"');
    const build = failure('services: {web: {build: {context: ., secrets: [npmrc]}}}');
    expect(build.message).toBe('service "web" refers to undefined build secret "npmrc"');
    expect(build.path).toBe('services.web.build.secrets[0]');
    const models = failure('services: {web: {image: web, models: {llm: {endpoint_var: URL}}}}');
    expect(models.message).toBe('service "web" refers to undefined model "llm"');
    expect(models.path).toBe('services.web.models.llm');
  });
});

describe('checkConsistency: references to services', () => {
  it('refuses depends_on an undefined service, unless required: false', () => {
    const error = failure('services: {web: {image: web, depends_on: [dbb]}, db: {image: db}}');
    expect(error.code).toBe('COMPOSE_REFERENCE');
    expect(error.message).toBe('service "web" depends on undefined service "dbb"');
    expect(error.hint).toContain('did you mean "db"?');
    expect(error.hint).toContain('required: false');
    expect(() => checkConsistency(project('services: {web: {image: web, depends_on: {x: {condition: service_started, required: false}}}}')))
      .not.toThrow();
  });

  it('refuses network_mode, volumes_from, links and additional_contexts naming an undefined service', () => {
    const cases: Array<[string, string, string]> = [
      ['network_mode: "service:vpn"', 'service "web" refers to undefined service "vpn" in network_mode "service:vpn"', 'services.web.network_mode'],
      ['volumes_from: ["data:ro"]', 'service "web" refers to undefined service "data" in volumes_from', 'services.web.volumes_from[0]'],
      ['links: ["db:database"]', 'service "web" refers to undefined service "db" in links', 'services.web.links[0]'],
      ['ipc: "service:shm"', 'service "web" refers to undefined service "shm" in ipc "service:shm"', 'services.web.ipc'],
    ];
    for (const [attribute, message, path] of cases) {
      const error = failure(`services:\n  web:\n    image: web\n    ${attribute}`);
      expect(error.code).toBe('COMPOSE_REFERENCE');
      expect(error.message).toBe(message);
      expect(error.path).toBe(path);
    }
    const build = failure('services: {web: {build: {context: ., additional_contexts: {base: "service:base"}}}}');
    expect(build.message).toBe('service "web" refers to undefined service "base" in build.additional_contexts "service:base"');
    expect(build.path).toBe('services.web.build.additional_contexts.base');
  });

  it('accepts volumes_from a container', () => {
    expect(() => checkConsistency(project('services: {web: {image: web, volumes_from: ["container:legacy"]}}'))).not.toThrow();
  });
});

describe('checkConsistency: conflicting attributes', () => {
  it('refuses network_mode with networks (TestBadServiceConfig)', () => {
    const error = failure(`
name: scratch
services:
  redis:
    image: redis:6.2.6-alpine
    network_mode: bridge
    networks:
      gratheon: null
networks:
  gratheon:
    name: scratch_gratheon
`);
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toBe('service redis declares mutually exclusive `network_mode` and `networks`');
    expect(error.path).toBe('services.redis.networks');
  });

  it('refuses container_name with more than one container', () => {
    const scaled = failure('services: {web: {image: web, container_name: web, scale: 3}}');
    expect(scaled.code).toBe('COMPOSE_CONFLICT');
    expect(scaled.message).toContain('scale 3');
    const replicated = failure('services: {web: {image: web, container_name: web, deploy: {replicas: 2}}}');
    expect(replicated.message).toContain('deploy.replicas 2');
    expect(() => checkConsistency(project('services: {web: {image: web, container_name: web, scale: 1}}'))).not.toThrow();
  });

  it('leaves two services with the same container_name to the engine, as Compose does (docker-compose-e2e/container_name)', () => {
    expect(() => checkConsistency(project('services: {a: {image: a, container_name: same}, b: {image: b, container_name: same}}')))
      .not.toThrow();
  });

  it('refuses scale and deploy.replicas that disagree', () => {
    const error = failure('services: {web: {image: web, scale: 2, deploy: {replicas: 3}}}');
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toBe(`service "web" sets distinct values on 'scale' (2) and 'deploy.replicas' (3)`);
  });

  it('compares mem_limit with deploy.resources.limits.memory as byte sizes', () => {
    expect(() => checkConsistency(project('services: {web: {image: web, mem_limit: 0.5g, deploy: {resources: {limits: {memory: 512m}}}}}')))
      .not.toThrow();
    const error = failure('services: {web: {image: web, mem_limit: 512m, deploy: {resources: {limits: {memory: 1g}}}}}');
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.path).toBe('services.web.mem_limit');
    const reservation = failure('services: {web: {image: web, mem_reservation: 1g, deploy: {resources: {reservations: {memory: 2g}}}}}');
    expect(reservation.message).toContain('deploy.resources.reservations.memory');
  });

  it('compares cpus and pids_limit with their deploy limits as numbers', () => {
    expect(() => checkConsistency(project('services: {web: {image: web, cpus: "1.50", deploy: {resources: {limits: {cpus: 1.5}}}}}')))
      .not.toThrow();
    expect(failure('services: {web: {image: web, cpus: 1, deploy: {resources: {limits: {cpus: "2"}}}}}').message)
      .toContain(`'cpus' (1) and 'deploy.resources.limits.cpus' (2)`);
    expect(failure('services: {web: {image: web, pids_limit: 10, deploy: {resources: {limits: {pids: 20}}}}}').code)
      .toBe('COMPOSE_CONFLICT');
  });
});

describe('checkConsistency: top-level resources', () => {
  it('refuses an external volume with a driver (TestInvalidExternalAndDriverCombination)', () => {
    const error = failure(`
name: invalid-external-and-driver-combination
volumes:
  external_volume:
    external: true
    driver: foobar
`);
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toBe('volumes.external_volume: conflicting parameters "external" and "driver" specified');
    expect(error.path).toBe('volumes.external_volume.driver');
  });

  it('refuses an external volume with driver_opts or labels', () => {
    expect(failure('volumes: {v: {external: true, driver_opts: {type: nfs}}}').message).toContain('"driver_opts"');
    expect(failure('volumes: {v: {external: true, labels: [a=b]}}').message).toContain('"labels"');
  });

  it('refuses name with the legacy external.name (TestLoadVolumeInvalidExternalNameAndNameCombination)', () => {
    const error = failure({
      name: 'invalid-external-and-labels-combination',
      services: {},
      volumes: { external_volume: { name: 'user_specified_name', external: { name: 'external_name' } as unknown as boolean } },
    });
    expect(error.code).toBe('COMPOSE_CONFLICT');
    expect(error.message).toBe('volumes.external_volume: name and external.name conflict; only use name');
  });

  it('needs a source for a secret or a config that is not external', () => {
    const secret = failure('secrets: {token: {labels: {a: b}}}');
    expect(secret.code).toBe('COMPOSE_INVALID');
    expect(secret.message).toBe('secret "token" must declare either file or environment');
    expect(secret.path).toBe('secrets.token');
    expect(failure('configs: {conf: {}}').message).toBe('config "conf" must declare either file, environment or content');
    expect(failure('secrets: {token: {file: ./a, environment: TOKEN}}').code).toBe('COMPOSE_CONFLICT');
    expect(() => checkConsistency(project('secrets: {a: {external: true}, b: {environment: B}, c: {driver: vault}}'))).not.toThrow();
  });
});
