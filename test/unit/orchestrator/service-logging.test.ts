import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../../src/compose/loader.js';
import { TscError } from '../../../src/errors/index.js';
import type { ImageView } from '../../../src/orchestrator/image-view.js';
import { serviceContainerSpec } from '../../../src/orchestrator/service-container-spec.js';
import type { ContainerSpec } from '../../../src/runtime/container-spec.js';

const IMAGE: ImageView = { reference: 'busybox', digest: `sha256:${'0'.repeat(64)}`, env: [], entrypoint: null, cmd: ['sh'], workingDir: '', user: '', labels: {} };

/** The container spec of service `app` in a compose file, loaded as `up` loads it. */
function specOf(service: string): ContainerSpec {
  const dir = mkdtempSync(join(tmpdir(), 'tsc-logging-'));
  try {
    writeFileSync(join(dir, 'compose.yaml'), `services:\n  app:\n    image: busybox\n${service.replace(/^/gm, '    ')}\n`);
    const { project } = loadProject({ workingDir: dir, osEnv: { SIZE: '2m' }, onWarning: () => undefined });
    return serviceContainerSpec({ project, service: 'app', number: 1, configHash: 'h', mounts: [] }, IMAGE, { path: '/rootfs' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('service logging options', () => {
  it('maps json-file max-size and max-file to the container\'s log rotation', () => {
    expect(specOf('logging:\n  driver: json-file\n  options:\n    max-size: 500k\n    max-file: "5"').log).toEqual({ maxSizeBytes: 500 * 1024, maxFiles: 5 });
    expect(specOf('logging:\n  options:\n    max-size: ${SIZE}').log).toEqual({ maxSizeBytes: 2 * 1024 * 1024 });
    expect(specOf('logging:\n  options:\n    max-size: "-1"').log).toEqual({ maxSizeBytes: 0 });
  });

  it('leaves the runtime\'s defaults without options', () => {
    expect(specOf('logging:\n  driver: json-file').log).toBeUndefined();
    expect(specOf('command: ["true"]').log).toBeUndefined();
  });

  it('refuses a size it cannot read, with a hint', () => {
    let err: unknown;
    try {
      specOf('logging:\n  options:\n    max-size: huge');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TscError);
    expect((err as TscError).message).toContain('max-size "huge"');
    expect((err as TscError).hint).toContain('10m');
  });
});
