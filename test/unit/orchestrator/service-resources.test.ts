import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/compose/loader.js';
import { serviceResources } from '../../../src/orchestrator/service-resources.js';

/** The resources of service `app` in a compose file, loaded (and so made canonical) as `up` loads it. */
function resourcesOf(service: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-resources-'));
  try {
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    image: busybox\n${service.replace(/^/gm, '    ')}\n`);
    const { project } = loadProject({ workingDir: dir, osEnv: { CPUS: '0.25' }, onWarning: () => undefined });
    const app = project.services.app;
    if (app === undefined) throw new Error('no service app');
    return serviceResources('app', app);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('service resources', () => {
  it('maps the service-level limits, sizes with units in bytes', () => {
    expect(resourcesOf('mem_limit: 512m\nmemswap_limit: 1g\ncpus: 1.5\ncpu_shares: 512\ncpuset: "0-1"\npids_limit: 100')).toEqual({
      memoryBytes: 512 * 1024 ** 2, memorySwapBytes: 1024 ** 3, cpus: 1.5, cpuShares: 512, cpuset: '0-1', pids: 100,
    });
  });

  it('maps deploy.resources.limits, alone or beside agreeing service-level limits', () => {
    const deploy = 'deploy:\n  resources:\n    limits:\n      memory: 64M\n      cpus: "0.5"\n      pids: 30';
    expect(resourcesOf(deploy)).toEqual({ memoryBytes: 64 * 1024 ** 2, cpus: 0.5, pids: 30 });
    expect(resourcesOf(`mem_limit: 64m\ncpus: 0.5\npids_limit: 30\n${deploy}`)).toEqual({ memoryBytes: 64 * 1024 ** 2, cpus: 0.5, pids: 30 });
  });

  it('takes interpolated numbers, -1 as unlimited swap and pids, and 0 as no limit', () => {
    expect(resourcesOf('mem_limit: 32m\nmemswap_limit: -1\npids_limit: -1\ncpus: ${CPUS}\ncpu_shares: 0')).toEqual({
      memoryBytes: 32 * 1024 ** 2, memorySwapBytes: 'unlimited', pids: 'unlimited', cpus: 0.25,
    });
    expect(resourcesOf('cpus: 0\npids_limit: 0')).toBeUndefined();
  });

  it('has no resources for a service without limits', () => {
    expect(resourcesOf('command: ["true"]')).toBeUndefined();
  });
});
