import { describe, expect, it } from 'vitest';
import { canonicalService, thrownBy } from './helpers.js';

describe('canonical build', () => {
  it('turns a context path into {context}', () => {
    expect(canonicalService('services:\n  web:\n    build: ./app\n').build).toEqual({ context: './app' });
  });

  it('normalises the parts of the long form', () => {
    const web = canonicalService(`services:
  web:
    build:
      context: .
      labels: [a=b]
      additional_contexts: [base=../base]
      extra_hosts: [db=10.0.0.2]
      secrets: [token]
      ssh: [default, deploy=~/.ssh/id]
      ulimits: {nofile: 1024}
      shm_size: 1g
`);
    expect(web.build).toEqual({
      context: '.',
      labels: { a: 'b' },
      additional_contexts: { base: '../base' },
      extra_hosts: { db: ['10.0.0.2'] },
      secrets: [{ source: 'token' }],
      ssh: { default: null, deploy: '~/.ssh/id' },
      ulimits: { nofile: 1024 },
      shm_size: String(1024 ** 3),
    });
  });

  it('rejects an ssh entry that is neither default nor ID=PATH', () => {
    const err = thrownBy(() => canonicalService('services:\n  web:\n    build: {context: ., ssh: [mykey]}\n'));
    expect(err.path).toBe('services.web.build.ssh[0]');
    expect(err.message).toContain('"mykey"');
  });
});

describe('canonical extends, gpus and develop.watch', () => {
  it('turns extends: name into {service}', () => {
    expect(canonicalService('services:\n  web:\n    extends: base\n').extends).toEqual({ service: 'base' });
  });

  it('turns gpus: all into one request for every GPU', () => {
    expect(canonicalService('services:\n  web:\n    image: x\n    gpus: all\n').gpus).toEqual([{ count: 'all' }]);
  });

  it('splits a watch rule with several paths into one rule per path', () => {
    const web = canonicalService('services:\n  web:\n    image: x\n    develop:\n      watch: [{action: sync, path: [./a, ./b], target: /app}]\n');
    expect(web.develop).toEqual({
      watch: [
        { action: 'sync', path: './a', target: '/app' },
        { action: 'sync', path: './b', target: '/app' },
      ],
    });
  });
});
