import { describe, expect, it } from 'vitest';
import type { Project, ServiceConfig } from '../../../src/compose/model.js';
import type { ContainerInfo } from '../../../src/runtime/container-info.js';
import type { ImageView } from '../../../src/orchestrator/image-view.js';
import { serviceHealthcheck, serviceRestartPolicy } from '../../../src/orchestrator/service-health.js';
import { supervisorConfig } from '../../../src/orchestrator/supervisor-config.js';

const image = (healthcheck?: ImageView['healthcheck']): ImageView => ({
  reference: 'img', digest: 'sha256:0', env: [], entrypoint: null, cmd: ['sh'], workingDir: '', user: '', labels: {}, ...(healthcheck === undefined ? {} : { healthcheck }),
});

describe('the healthcheck of a service', () => {
  it('runs CMD as argv and CMD-SHELL through /bin/sh -c, with Docker defaults for what is not set', () => {
    expect(serviceHealthcheck('api', { healthcheck: { test: ['CMD', 'wget', '-q', 'http://x/'] } })).toEqual({
      command: ['wget', '-q', 'http://x/'], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, startIntervalMs: 5_000,
    });
    expect(serviceHealthcheck('api', { healthcheck: { test: ['CMD-SHELL', 'curl -f http://x/ || exit 1'], interval: '1m30s', timeout: '500ms', retries: 5, start_period: '10s', start_interval: '1s' } }))
      .toEqual({ command: ['/bin/sh', '-c', 'curl -f http://x/ || exit 1'], intervalMs: 90_000, timeoutMs: 500, retries: 5, startPeriodMs: 10_000, startIntervalMs: 1_000 });
  });

  it('has none without a test, with NONE, or with disable: true', () => {
    expect(serviceHealthcheck('api', {})).toBeUndefined();
    expect(serviceHealthcheck('api', { healthcheck: { test: ['NONE'] } })).toBeUndefined();
    expect(serviceHealthcheck('api', { healthcheck: { disable: true } }, image({ test: ['CMD', 'true'] }))).toBeUndefined();
  });

  it("takes the image's HEALTHCHECK where the service says nothing, field by field", () => {
    const fromImage = image({ test: ['CMD-SHELL', 'test -f /ok'], intervalNs: 2e9, retries: 7 });
    expect(serviceHealthcheck('api', {}, fromImage)).toMatchObject({ command: ['/bin/sh', '-c', 'test -f /ok'], intervalMs: 2_000, retries: 7, timeoutMs: 30_000 });
    expect(serviceHealthcheck('api', { healthcheck: { interval: '5s' } }, fromImage)).toMatchObject({ command: ['/bin/sh', '-c', 'test -f /ok'], intervalMs: 5_000, retries: 7 });
    expect(serviceHealthcheck('api', { healthcheck: { test: ['NONE'] } }, fromImage)).toBeUndefined();
  });

  it('refuses a bad duration with its compose path', () => {
    expect(() => serviceHealthcheck('api', { healthcheck: { test: ['CMD', 'true'], interval: 'soon' } })).toThrow(expect.objectContaining({ code: 'COMPOSE_INVALID', path: 'services.api.healthcheck.interval' }));
  });
});

describe('the restart policy of a service', () => {
  it('takes restart: first, then deploy.restart_policy, else no', () => {
    expect(serviceRestartPolicy('a', { restart: 'on-failure:3' })).toEqual({ name: 'on-failure', maxRetries: 3 });
    expect(serviceRestartPolicy('a', { restart: 'always', deploy: { restart_policy: { condition: 'none' } } })).toEqual({ name: 'always' });
    expect(serviceRestartPolicy('a', {})).toEqual({ name: 'no' });
    expect(serviceRestartPolicy('a', { deploy: { restart_policy: {} } })).toEqual({ name: 'always' });
    expect(serviceRestartPolicy('a', { deploy: { restart_policy: { condition: 'on-failure', max_attempts: 2, delay: '3s', window: '1m' } } }))
      .toEqual({ name: 'on-failure', maxRetries: 2, delayMs: 3_000, windowMs: 60_000 });
    expect(serviceRestartPolicy('a', { deploy: { restart_policy: { condition: 'none' } } })).toEqual({ name: 'no' });
  });

  it('refuses what it does not know, naming the path', () => {
    expect(() => serviceRestartPolicy('a', { restart: 'sometimes' })).toThrow(expect.objectContaining({ code: 'COMPOSE_INVALID', path: 'services.a.restart' }));
    expect(() => serviceRestartPolicy('a', { deploy: { restart_policy: { condition: 'maybe' } } })).toThrow(expect.objectContaining({ path: 'services.a.deploy.restart_policy.condition' }));
  });
});

describe('the supervisor config of a project', () => {
  const container = (id: string, service: string, status: ContainerInfo['status'] = 'running'): ContainerInfo =>
    ({ id, name: `p-${service}-1`, status, labels: { 'com.docker.compose.project': 'p', 'com.docker.compose.service': service } }) as unknown as ContainerInfo;
  const services: Record<string, ServiceConfig> = {
    api: { healthcheck: { test: ['CMD', 'true'], interval: '1s' }, restart: 'always' },
    worker: {},
  };
  const project: Project = { name: 'p', services };

  it('lists checks of the containers that have one and the restart policy of every container, as plain data', () => {
    const config = supervisorConfig({ project, containers: [container('1', 'api'), container('2', 'worker'), container('3', 'gone'), container('4', 'api', 'removing')], images: new Map() });
    expect(config).toEqual({
      version: 1,
      project: 'p',
      sections: {
        health: { containers: [{ id: '1', check: { command: ['true'], intervalMs: 1_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0, startIntervalMs: 5_000 } }] },
        restart: { containers: [{ id: '1', policy: { name: 'always' } }, { id: '2', policy: { name: 'no' } }] },
      },
    });
  });
});
