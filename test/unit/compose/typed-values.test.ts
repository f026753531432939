import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/compose/interpolate.js';
import { castTypedValues } from '../../../src/compose/typed-values.js';
import { parseComposeYaml } from '../../../src/compose/yaml-stage.js';
import type { Dict, Warning } from '../../../src/compose/types.js';
import { failure as errorOf } from '../../support/compose.js';

const FILE = '/p/compose.yaml';

/** The file as interpolation and the typed-values stage leave it. */
function load(yaml: string, vars: Record<string, string> = {}): { data: Dict; warnings: Warning[] } {
  const parsed = parseComposeYaml(yaml, FILE);
  const warnings: Warning[] = [];
  const lookup = (name: string): string | undefined => (Object.hasOwn(vars, name) ? vars[name] : undefined);
  const interpolated = interpolate(parsed.data, lookup, { file: FILE, positions: parsed.positions });
  const data = castTypedValues(interpolated, { file: FILE, positions: parsed.positions, onWarning: (w) => warnings.push(w) });
  return { data, warnings };
}

function web(yaml: string, vars: Record<string, string> = {}): Dict {
  const services = load(`services:\n  web:\n${yaml.replace(/^/gm, '    ')}\n`, vars).data.services as Dict;
  return services.web as Dict;
}


describe('castTypedValues', () => {
  it('turns interpolated flags of a service into booleans', () => {
    const service = web(
      'privileged: ${PRIV}\nread_only: ${RO}\ninit: ${INIT}\ntty: ${TTY}\nstdin_open: ${TTY}\noom_kill_disable: ${RO}',
      { PRIV: 'true', RO: 'false', INIT: 'TRUE', TTY: 'False' },
    );
    expect(service).toMatchObject({ privileged: true, read_only: false, init: true, tty: false, stdin_open: false, oom_kill_disable: false });
  });

  it('turns interpolated counts and sizes of a service into numbers', () => {
    const service = web(
      'scale: ${N}\ncpus: ${CPUS}\ncpu_count: ${N}\ncpu_percent: ${PCT}\noom_score_adj: ${OOM}\npids_limit: "-1"\nmem_swappiness: "60"\ncpu_shares: "512"',
      { N: '3', CPUS: '0.5', PCT: '50', OOM: '-500' },
    );
    expect(service).toMatchObject({ scale: 3, cpus: 0.5, cpu_count: 3, cpu_percent: 50, oom_score_adj: -500, pids_limit: -1, mem_swappiness: 60, cpu_shares: 512 });
  });

  it('casts nested attributes: healthcheck, volumes, deploy', () => {
    const service = web(`healthcheck:
  retries: \${R}
  disable: "\${OFF}"
volumes:
  - type: volume
    source: data
    target: /data
    read_only: "true"
    volume: {nocopy: "\${OFF}"}
deploy:
  replicas: "2"
  update_config: {parallelism: "2", max_failure_ratio: "0.3"}
  restart_policy: {max_attempts: "5"}
  placement: {max_replicas_per_node: "1"}`, { R: '4', OFF: 'false' });
    expect(service.healthcheck).toEqual({ retries: 4, disable: false });
    expect(service.volumes).toEqual([{ type: 'volume', source: 'data', target: '/data', read_only: true, volume: { nocopy: false } }]);
    expect(service.deploy).toEqual({
      replicas: 2,
      update_config: { parallelism: 2, max_failure_ratio: 0.3 },
      restart_policy: { max_attempts: 5 },
      placement: { max_replicas_per_node: 1 },
    });
  });

  it('casts the flags of top-level networks, volumes, secrets and configs', () => {
    const { data } = load(`networks:
  front: {external: "\${EXT}", internal: "true", attachable: "false", enable_ipv6: "true", enable_ipv4: "false"}
volumes:
  data: {external: "\${EXT}"}
secrets:
  token: {external: "true"}
configs:
  conf: {external: "false"}
`, { EXT: 'true' });
    expect(data.networks).toEqual({ front: { external: true, internal: true, attachable: false, enable_ipv6: true, enable_ipv4: false } });
    expect(data.volumes).toEqual({ data: { external: true } });
    expect(data.secrets).toEqual({ token: { external: true } });
    expect(data.configs).toEqual({ conf: { external: false } });
  });

  it('takes the YAML 1.1 spellings y/yes/on and n/no/off, with a warning at their line', () => {
    const { data, warnings } = load('services:\n  web:\n    tty: yes\n    privileged: "${P}"\n', { P: 'off' });
    expect((data.services as Dict).web).toEqual({ tty: true, privileged: false });
    expect(warnings.map((w) => w.code)).toEqual(['DEPRECATED', 'DEPRECATED']);
    expect(warnings[0]?.message).toContain('"yes"');
    expect(warnings[0]?.location).toMatchObject({ file: FILE, line: 3 });
  });

  it('keeps a real-time period that is a duration for the canonical stage, and casts one in microseconds', () => {
    expect(web('cpu_rt_period: 10ms\ncpu_rt_runtime: "950"')).toMatchObject({ cpu_rt_period: '10ms', cpu_rt_runtime: 950 });
  });

  it('leaves strings elsewhere, and values that are not strings, alone', () => {
    const service = web('image: "true"\nenvironment: {SCALE: "3", DEBUG: "true"}\nlabels: [a=1]\nscale: 2\nprivileged: true\nuser: null');
    expect(service).toEqual({ image: 'true', environment: { SCALE: '3', DEBUG: 'true' }, labels: ['a=1'], scale: 2, privileged: true, user: null });
  });

  it('leaves a legacy external mapping alone', () => {
    expect(load('volumes:\n  data:\n    external: {name: real}\n').data.volumes).toEqual({ data: { external: { name: 'real' } } });
  });

  it('rejects a value that is not a boolean, naming the path and pointing at the line', () => {
    const err = errorOf(() => load('services:\n  web:\n    image: nginx\n    privileged: ${PRIV}\n', { PRIV: 'maybe' }));
    expect(err.code).toBe('COMPOSE_INTERPOLATION');
    expect(err.path).toBe('services.web.privileged');
    expect(err.message).toContain('"maybe"');
    expect(err.location).toMatchObject({ file: FILE, line: 4 });
    expect(err.hint).toContain('true or false');
  });

  it('rejects a count that is not a whole number', () => {
    const err = errorOf(() => web('scale: ${N}', { N: 'two' }));
    expect(err.code).toBe('COMPOSE_INTERPOLATION');
    expect(err.path).toBe('services.web.scale');
    expect(errorOf(() => web('healthcheck: {retries: "1.5"}')).path).toBe('services.web.healthcheck.retries');
  });

  it('rejects a cpus value that is not a number', () => {
    expect(errorOf(() => web('cpus: half')).path).toBe('services.web.cpus');
  });

  it('does not modify its input', () => {
    const input: Dict = { services: { web: { privileged: 'true' } } };
    castTypedValues(input);
    expect(input).toEqual({ services: { web: { privileged: 'true' } } });
  });
});
