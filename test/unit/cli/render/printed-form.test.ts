import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Project } from '../../../../src/compose/model.js';
import { orderProject, projectToJson, projectToYaml } from '../../../../src/cli/render/project-yaml.js';

function project(services: Record<string, unknown>, rest: Record<string, unknown> = {}): Project {
  return { name: 'p', services, ...rest } as unknown as Project;
}

describe('the project as config prints it', () => {
  it('prints extra_hosts as a sorted list of HOST=IP, one entry per address', () => {
    const out = orderProject(project({
      web: { image: 'a', extra_hosts: { somehost: ['10.0.0.2', '::1'], another: ['10.0.0.1'] }, build: { context: '/p', extra_hosts: { b: ['1.1.1.1'] } } },
    }));
    const web = (out.services as Record<string, Record<string, unknown>>).web;
    expect(web?.extra_hosts).toEqual(['another=10.0.0.1', 'somehost=10.0.0.2', 'somehost=::1']);
    expect(web?.build).toEqual({ context: '/p', extra_hosts: ['b=1.1.1.1'] });
  });

  it('leaves out env_file, which the loader has already read into environment', () => {
    const out = orderProject(project({ web: { image: 'a', env_file: [{ path: '/p/a.env', required: true }], environment: { A: '1' } } }));
    expect(out.services).toEqual({ web: { image: 'a', environment: { A: '1' } } });
  });

  it('leaves out boolean attributes that are false, as Compose does, and keeps init', () => {
    const out = orderProject(project(
      {
        web: {
          image: 'a',
          privileged: false,
          read_only: false,
          tty: true,
          init: false,
          depends_on: { db: { condition: 'service_started', restart: false, required: true } },
          volumes: [{ type: 'volume', source: 'v', target: '/v', read_only: false, volume: { nocopy: false } }],
        },
      },
      { networks: { default: { name: 'p_default', internal: false, external: false } } },
    ));
    expect(out.services).toEqual({
      web: {
        image: 'a',
        tty: true,
        init: false,
        depends_on: { db: { condition: 'service_started', required: true } },
        volumes: [{ type: 'volume', source: 'v', target: '/v', volume: {} }],
      },
    });
    expect(out.networks).toEqual({ default: { name: 'p_default' } });
  });

  it('does not rewrite extension fields that look like attributes', () => {
    const out = orderProject(project({ web: { image: 'a', 'x-extra': { privileged: false, env_file: 'x' } } }, { 'x-common': { tty: false } }));
    expect(out.services).toEqual({ web: { image: 'a', 'x-extra': { privileged: false, env_file: 'x' } } });
    expect(out['x-common']).toEqual({ tty: false });
  });

  it('prints the same model in YAML and JSON, name first', () => {
    const model = project({ web: { image: 'a', extra_hosts: { h: ['1.2.3.4'] } } });
    expect(Object.keys(parse(projectToYaml(model)) as object)[0]).toBe('name');
    expect(parse(projectToYaml(model))).toEqual(JSON.parse(projectToJson(model)));
  });
});
