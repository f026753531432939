import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TscError } from '../../../src/errors/index.js';
import { validateSchema, schemaKeys } from '../../../src/compose/validate.js';
import { COMPOSE_SCHEMA_FILE, composeSchema, composeValidator } from '../../../src/compose/compose-schema.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';

const FILE = '/project/compose.yaml';

function check(yaml: string): void {
  validateSchema(parseComposeYaml(yaml, FILE));
}

function schemaError(yaml: string): TscError {
  try {
    check(yaml);
  } catch (err) {
    if (err instanceof TscError) return err;
    throw err;
  }
  throw new Error('expected the file to be rejected');
}

describe('validateSchema', () => {
  it('accepts a typical file', () => {
    expect(() =>
      check(`
name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    depends_on:
      db:
        condition: service_healthy
    environment:
      MODE: production
  db:
    image: postgres:16
    healthcheck:
      test: ["CMD", "pg_isready"]
      interval: 5s
volumes:
  data:
`),
    ).not.toThrow();
  });

  it('names an unknown key, its place, and the nearest valid key', () => {
    const error = schemaError('services:\n  web:\n    imgae: nginx\n');
    expect(error.code).toBe('COMPOSE_SCHEMA');
    expect(error.message).toBe("services.web additional property 'imgae' is not allowed");
    expect(error.path).toBe('services.web.imgae');
    expect(error.hint).toBe("did you mean 'image'?");
    expect(error.location).toEqual({ file: FILE, line: 3, column: 5 });
  });

  it('suggests keys at the top level and deep inside a service', () => {
    expect(schemaError('servces:\n  web:\n    image: a\n').hint).toBe("did you mean 'services'?");
    const deep = schemaError(`
services:
  web:
    image: a
    volumes:
      - type: bind
        source: ./src
        target: /src
        bind:
          propagaton: rshared
`);
    expect(deep.message).toBe("services.web.volumes[0].bind additional property 'propagaton' is not allowed");
    expect(deep.hint).toBe("did you mean 'propagation'?");
    expect(deep.location).toMatchObject({ line: 10, column: 11 });
  });

  it('recognises a service written at the top level', () => {
    const error = schemaError('services: {}\nweb:\n  image: a\n  ports: ["80:80"]\n');
    expect(error.message).toBe("additional property 'web' is not allowed at the top level");
    expect(error.hint).toBe("if 'web' is a service, move it under services:");
    expect(error.location).toMatchObject({ line: 2, column: 1 });
  });

  it('tells the extension convention when no key is near', () => {
    const error = schemaError('services:\n  web:\n    image: a\n    team_owner: ops\n');
    expect(error.hint).toContain("start with 'x-'");
  });

  it('reports a wrong type with the expected and the found type', () => {
    const error = schemaError('services:\n  web:\n    image: 5\n');
    expect(error.message).toBe('services.web.image must be a string');
    expect(error.path).toBe('services.web.image');
    expect(error.hint).toBe('found a number (5)');
    expect(error.location).toMatchObject({ line: 3, column: 5 });
  });

  it('reports an empty service as not a mapping', () => {
    const error = schemaError('services:\n  web:\n');
    expect(error.message).toBe('services.web must be a mapping');
    expect(error.hint).toBe('found null (an empty value)');
  });

  describe('ports, which take a number, a string or a mapping', () => {
    it('accepts each form', () => {
      expect(() => check('services:\n  web:\n    image: a\n    ports:\n      - 80\n      - "127.0.0.1:8443:443/tcp"\n      - target: 53\n        published: "5353"\n        protocol: udp\n')).not.toThrow();
    });

    it('lists every form when none fits', () => {
      const error = schemaError('services:\n  web:\n    image: a\n    ports:\n      - "80:80"\n      - true\n');
      expect(error.message).toBe('services.web.ports[1] must be a number, a string or a mapping');
      expect(error.hint).toBe('found a boolean (true)');
      expect(error.location).toMatchObject({ line: 6, column: 9 });
    });

    it('reports the mapping form that got furthest', () => {
      const typo = schemaError('services:\n  web:\n    image: a\n    ports:\n      - target: 80\n        publishd: 8080\n');
      expect(typo.message).toBe("services.web.ports[0] additional property 'publishd' is not allowed");
      expect(typo.hint).toBe("did you mean 'published'?");
      const deep = schemaError('services:\n  web:\n    image: a\n    ports:\n      - target: [80]\n');
      expect(deep.message).toBe('services.web.ports[0].target must be an integer or a string');
      expect(deep.hint).toBe('found a list');
    });

    it('rejects a port listed twice', () => {
      const error = schemaError('services:\n  web:\n    image: a\n    ports:\n      - "80:80"\n      - "80:80"\n');
      expect(error.message).toBe('services.web.ports[1] repeats services.web.ports[0]');
      expect(error.location).toMatchObject({ line: 6, column: 9 });
    });
  });

  it('points at values nested in lists and mappings', () => {
    const env = schemaError('services:\n  web:\n    image: a\n    environment:\n      FOO:\n        nested: 1\n');
    expect(env.message).toBe('services.web.environment.FOO must be a string, a number, a boolean or null');
    expect(env.location).toMatchObject({ line: 5, column: 7 });

    const gpu = schemaError(`
services:
  web:
    image: a
    deploy:
      resources:
        reservations:
          devices:
            - driver: nvidia
`);
    expect(gpu.message).toBe("services.web.deploy.resources.reservations.devices[0] is missing required property 'capabilities'");
    expect(gpu.path).toBe('services.web.deploy.resources.reservations.devices[0]');
    expect(gpu.location).toMatchObject({ line: 9, column: 15 });
  });

  it('suggests the nearest allowed value', () => {
    const error = schemaError('services:\n  web:\n    image: a\n    depends_on:\n      db:\n        condition: service_healty\n');
    expect(error.message).toBe(
      "services.web.depends_on.db.condition must be one of 'service_started', 'service_healthy', 'service_completed_successfully'",
    );
    expect(error.hint).toBe("did you mean 'service_healthy'?");
  });

  it('names the missing required key and its choices', () => {
    const error = schemaError('services:\n  web:\n    image: a\n    depends_on:\n      db: {}\n');
    expect(error.message).toBe("services.web.depends_on.db is missing required property 'condition'");
    expect(error.hint).toContain("add 'condition', one of 'service_started'");
  });

  it('explains names that are not allowed', () => {
    const error = schemaError('services:\n  my web:\n    image: a\n');
    expect(error.message).toBe("services: invalid name 'my web'");
    expect(error.hint).toContain("letters, digits, '.', '_' and '-'");
    expect(error.location).toMatchObject({ line: 2, column: 3 });
  });

  it('reports numeric bounds and patterns', () => {
    expect(schemaError('services:\n  web:\n    image: a\n    oom_score_adj: 2000\n').message).toBe('services.web.oom_score_adj must be <= 1000');
    const policy = schemaError('services:\n  web:\n    image: a\n    pull_policy: sometimes\n');
    expect(policy.message).toBe('services.web.pull_policy has an invalid value "sometimes"');
    expect(policy.hint).toContain('always');
  });

  it('accepts x- extensions wherever the specification allows them', () => {
    expect(() =>
      check(`
x-common: &common
  restart: always
services:
  web:
    <<: *common
    image: a
    x-owner: ops
    build:
      context: .
      x-cache: true
    ports:
      - target: 80
        x-note: public
    volumes:
      - type: volume
        source: data
        target: /data
        x-backup: daily
        volume:
          nocopy: true
          x-size: 1g
    networks:
      front:
        x-weight: 1
    deploy:
      x-tier: web
      resources:
        limits:
          x-burst: true
    healthcheck:
      test: ["CMD", "true"]
      x-why: liveness
    logging:
      driver: json-file
      x-rotate: daily
    develop:
      x-mode: fast
      watch:
        - path: ./src
          action: sync
          target: /src
          x-debounce: 100
    depends_on:
      db:
        condition: service_started
        x-reason: data
  db:
    image: b
networks:
  front:
    x-vlan: 12
    ipam:
      x-pool: a
      config:
        - subnet: 10.0.0.0/24
          x-zone: a
volumes:
  data:
    x-class: ssd
secrets:
  token:
    file: ./token
    x-rotation: 30d
configs:
  app:
    content: hello
    x-format: text
models:
  llm:
    model: ai/smollm2
    x-quant: q4
`),
    ).not.toThrow();
  });

  it('rejects an extension where the specification closes the mapping', () => {
    const error = schemaError('include:\n  - path: other.yaml\n    x-note: nope\n');
    expect(error.message).toBe("include[0] additional property 'x-note' is not allowed");
  });

  it('accepts ${VAR} wherever a number or boolean is expected', () => {
    expect(() =>
      check(`
services:
  web:
    image: a
    cpus: \${CPUS}
    tty: \${TTY:-true}
    scale: \${SCALE}
    mem_limit: \${MEM}
    oom_score_adj: \${ADJ}
    ports:
      - target: \${PORT}
        published: \${PUBLISHED}
    healthcheck:
      retries: \${RETRIES}
      disable: \${NO_CHECK}
    deploy:
      replicas: \${REPLICAS}
      resources:
        limits:
          pids: \${PIDS}
    ulimits:
      nofile: \${NOFILE}
`),
    ).not.toThrow();
  });

  it('validates a 500-service file in a few milliseconds once compiled', () => {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 500; i++) {
      services[`svc${i}`] = {
        image: 'nginx:1',
        ports: ['80:80', { target: 81, published: '8081' }],
        environment: { A: '1', B: 2 },
        volumes: ['./a:/a', { type: 'volume', source: 'v', target: '/v' }],
        depends_on: { db: { condition: 'service_healthy' } },
        healthcheck: { test: ['CMD', 'true'], interval: '5s' },
      };
    }
    const file = { path: FILE, data: { services } };
    for (let i = 0; i < 10; i++) validateSchema(file);
    const timings: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      validateSchema(file);
      timings.push(performance.now() - start);
    }
    expect(Math.min(...timings)).toBeLessThan(10);
  });

  it('compiles the schema once', () => {
    expect(composeValidator()).toBe(composeValidator());
  });
});

describe('the schema file', () => {
  it('lives in schemas/ at the top of the repository', () => {
    expect(COMPOSE_SCHEMA_FILE).toBe(resolve(import.meta.dirname, '../../../schemas/compose.schema.json'));
    expect(JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8'))).toEqual(composeSchema());
  });

  it('describes every property it defines', () => {
    const root = composeSchema();
    const defs = root.$defs as Record<string, Record<string, unknown>>;
    const undescribed: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${where}/${i}`));
      if (typeof node !== 'object' || node === null) return;
      const props = (node as Record<string, unknown>).properties as Record<string, Record<string, unknown>> | undefined;
      for (const [name, prop] of Object.entries(props ?? {})) {
        const ref = typeof prop.$ref === 'string' ? defs[prop.$ref.replace('#/$defs/', '')] : undefined;
        if (typeof prop.description !== 'string' && typeof ref?.description !== 'string') undescribed.push(`${where}/${name}`);
      }
      for (const [key, child] of Object.entries(node)) walk(child, `${where}/${key}`);
    };
    walk(root, '#');
    expect(undescribed).toEqual([]);
  });
});

describe('schemaKeys', () => {
  it('lists the keys of a service', () => {
    const keys = schemaKeys(['services', 'web']);
    expect(keys).toContain('image');
    expect(keys).toContain('post_start');
    expect(keys).toContain('use_api_socket');
    expect(keys).not.toContain('x-');
  });

  it('follows lists and alternative forms', () => {
    expect(schemaKeys(['services', 'web', 'ports', 0])).toEqual(['app_protocol', 'host_ip', 'mode', 'name', 'protocol', 'published', 'target']);
    expect(schemaKeys(['services', 'web', 'build'])).toContain('dockerfile_inline');
    expect(schemaKeys(['networks', 'front', 'ipam', 'config', 0])).toEqual(['aux_addresses', 'gateway', 'ip_range', 'subnet']);
  });

  it('has no keys for free-form mappings and unknown places', () => {
    expect(schemaKeys(['services', 'web', 'environment'])).toEqual([]);
    expect(schemaKeys(['services', 'web', 'nonsense'])).toEqual([]);
  });
});
